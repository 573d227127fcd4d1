using System.Data.Common;
using System.Text.Json;
using AgentVault.Broker.Model;
using AgentVault.Broker.Security;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tests.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>
/// The behaviour every metadata engine must have, run against each (<see cref="SqliteStorageContractTests"/>,
/// <see cref="PostgresStorageContractTests"/>): the broker above the repositories cannot tell them apart.
/// </summary>
public abstract partial class StorageContractTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ConfigSaveThenLoad_RoundTripsTheDocumentInOrderAndBumpsTheVersion()
    {
        await using var storage = await CreateAsync();
        var repository = storage.Config(TimeProvider.System);
        var before = await repository.GetVersionAsync(CancellationToken.None);

        await repository.SaveAsync(SqliteConfigRepositoryTests.SampleDocument(), CancellationToken.None);

        var loaded = await storage.ConfigOf(storage.OpenAnother()).LoadAsync(CancellationToken.None);

        // The empty vault comes back with empty (not null) collections; normalise the expectation the same way.
        var document = SqliteConfigRepositoryTests.SampleDocument();
        var expected = document with { Vaults = [document.Vaults![0], document.Vaults[1] with { Credentials = [], Services = [] }] };
        Assert.Equal(Json(expected), Json(loaded));
        Assert.Equal(["ZETA_TOKEN", "ANTHROPIC_KEY"], loaded.Vaults![0].Credentials!.Keys);
        Assert.Equal(before + 1, await repository.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ConfigSaveThenLoad_RoundTripsNotificationsInOrder_AndNoneReadsAsAbsent()
    {
        await using var storage = await CreateAsync();
        var repository = storage.Config(TimeProvider.System);
        NotificationDefinition[] hooks =
        [
            new() { Name = "zeta", Url = "https://hooks.example.com/z", Secret = "local:z", Format = "slack", Events = ["approval.requested"] },
            new() { Name = "alpha", Url = "http://127.0.0.1:9/a", Secret = "local:a#key", Events = ["proposal.created", "proposal.decided"] },
        ];

        await repository.SaveAsync(new ConfigDocument { Notifications = [.. hooks] }, CancellationToken.None);
        var loaded = await storage.ConfigOf(storage.OpenAnother()).LoadAsync(CancellationToken.None);
        await repository.SaveAsync(new ConfigDocument(), CancellationToken.None);
        var emptied = await repository.LoadAsync(CancellationToken.None);

        Assert.Equal(Json(new ConfigDocument { Stores = [], Vaults = [], Agents = [], Notifications = [.. hooks] }), Json(loaded));
        Assert.Null(emptied.Notifications);
    }

    [Fact]
    public async Task ConfigSave_ReplacesTheWholeDocumentAndKeepsAgentCreationTimes()
    {
        await using var storage = await CreateAsync();
        var clock = new ManualTimeProvider(Now);
        var repository = storage.Config(clock);
        await repository.SaveAsync(SqliteConfigRepositoryTests.SampleDocument(), CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1));

        var smaller = new ConfigDocument
        {
            Vaults = [new VaultDefinition { Name = "only" }],
            Agents = [new AgentDefinition { Name = "newcomer", Vaults = ["only"] }, new AgentDefinition { Name = "claude", Vaults = ["only"] }],
        };
        await repository.SaveAsync(smaller, CancellationToken.None);

        Assert.Equal(Json(smaller with { Stores = [], Vaults = [new VaultDefinition { Name = "only", Credentials = [], Services = [] }] }), Json(await repository.LoadAsync(CancellationToken.None)));
        var created = await storage.AgentCreationTimesAsync();
        Assert.Equal(Now, created["claude"]);
        Assert.Equal(Now.AddHours(1), created["newcomer"]);
        Assert.False(created.ContainsKey("aider"));
    }

    [Fact]
    public async Task Tokens_RoundTripEveryFieldAndEveryWriteBumpsTheVersion()
    {
        await using var storage = await CreateAsync();
        var tokens = storage.Tokens;
        var agent = Token("tok_a", "claude");
        var scoped = Token("tok_b", "claude", "scoped", "dev");
        var version = await storage.Database.GetVersionAsync(CancellationToken.None);

        await tokens.InsertAsync(agent, CancellationToken.None);
        await tokens.InsertAsync(scoped, CancellationToken.None);

        Assert.Equal([agent, scoped], (await tokens.ListAsync(CancellationToken.None)).OrderBy(t => t.Id));
        Assert.Equal(version + 2, await storage.Database.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TokenRevoke_KeepsTheFirstTimeAndReportsUnknownIdsWithoutABump()
    {
        await using var storage = await CreateAsync();
        var tokens = storage.Tokens;
        await tokens.InsertAsync(Token("tok_a", "claude"), CancellationToken.None);

        Assert.True(await tokens.RevokeAsync("tok_a", Now.AddMinutes(1), CancellationToken.None));
        Assert.True(await tokens.RevokeAsync("tok_a", Now.AddMinutes(2), CancellationToken.None));
        var version = await storage.Database.GetVersionAsync(CancellationToken.None);
        Assert.False(await tokens.RevokeAsync("tok_missing", Now, CancellationToken.None));

        Assert.Equal(Now.AddMinutes(1), Assert.Single(await tokens.ListAsync(CancellationToken.None)).RevokedAt);
        Assert.Equal(version, await storage.Database.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task VaultIds_StayAcrossSaves_AVaultCreatedAgainGetsANewOne_AndSavesRevokeScopedTokensThatLostTheirGrant()
    {
        await using var storage = await CreateAsync();
        var repository = storage.Config(new ManualTimeProvider(Now));
        var minter = new AgentDefinition { Name = "minter", Vaults = ["dev", "other"], CanMint = true };
        var document = new ConfigDocument { Vaults = [new VaultDefinition { Name = "dev" }, new VaultDefinition { Name = "other" }], Agents = [minter] };
        await repository.SaveAsync(document, CancellationToken.None);
        var devId = await VaultIdAsync(repository, "dev");
        var otherId = await VaultIdAsync(repository, "other");
        var tokens = storage.Tokens;
        await tokens.InsertAsync(Token("tok_minter", "minter"), CancellationToken.None);
        await tokens.InsertAsync(Token("tok_admin", "(admin)", "scoped", "dev") with { VaultId = devId }, CancellationToken.None);
        await tokens.InsertAsync(Token("tok_dev", "minter", "scoped", "dev") with { VaultId = devId, MintedBy = "tok_minter" }, CancellationToken.None);
        await tokens.InsertAsync(Token("tok_other", "minter", "scoped", "other") with { VaultId = otherId, MintedBy = "tok_minter" }, CancellationToken.None);

        await repository.SaveAsync(document, CancellationToken.None);
        var unchanged = await RevokedAsync(tokens);
        await repository.SaveAsync(document with { Agents = [minter with { Vaults = ["other"] }] }, CancellationToken.None);
        var grantRemoved = await RevokedAsync(tokens);
        await repository.SaveAsync(document with { Vaults = [new VaultDefinition { Name = "other" }], Agents = [minter with { Vaults = ["other"] }] }, CancellationToken.None);
        await repository.SaveAsync(document with { Agents = [minter with { CanMint = false }] }, CancellationToken.None);
        var recreated = await RevokedAsync(tokens);

        Assert.StartsWith("vlt_", devId, StringComparison.Ordinal);
        Assert.NotEqual(devId, otherId);
        Assert.Empty(unchanged);
        Assert.Equal(["tok_dev"], grantRemoved);
        Assert.NotEqual(devId, await VaultIdAsync(repository, "dev"));
        Assert.Equal(otherId, await VaultIdAsync(repository, "other"));
        Assert.Equal(["tok_admin", "tok_dev", "tok_other"], recreated);
    }

    [Fact]
    public async Task TokenRevoke_AlsoRevokesTheScopedTokensThatTokenMinted()
    {
        await using var storage = await CreateAsync();
        var tokens = storage.Tokens;
        await tokens.InsertAsync(Token("tok_minter", "minter"), CancellationToken.None);
        await tokens.InsertAsync(Token("tok_minted", "minter", "scoped", "dev") with { VaultId = "vlt_1", MintedBy = "tok_minter" }, CancellationToken.None);
        await tokens.InsertAsync(Token("tok_admin", "minter", "scoped", "dev") with { VaultId = "vlt_1" }, CancellationToken.None);

        Assert.True(await tokens.RevokeAsync("tok_minter", Now, CancellationToken.None));

        Assert.Equal(["tok_minted", "tok_minter"], await RevokedAsync(tokens));
    }

    [Fact]
    public async Task RevokeAgentTokens_RevokesOnlyThatAgentsLiveTokens()
    {
        await using var storage = await CreateAsync();
        var tokens = storage.Tokens;
        await tokens.InsertAsync(Token("tok_1", "claude"), CancellationToken.None);
        await tokens.InsertAsync(Token("tok_2", "claude", "scoped", "dev"), CancellationToken.None);
        await tokens.InsertAsync(Token("tok_3", "aider"), CancellationToken.None);
        await tokens.RevokeAsync("tok_2", Now, CancellationToken.None);

        Assert.Equal(1, await tokens.RevokeAgentTokensAsync("claude", Now.AddMinutes(5), CancellationToken.None));

        var listed = (await tokens.ListAsync(CancellationToken.None)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        Assert.Equal(Now.AddMinutes(5), listed["tok_1"].RevokedAt);
        Assert.Equal(Now, listed["tok_2"].RevokedAt);
        Assert.Null(listed["tok_3"].RevokedAt);
    }

    [Fact]
    public async Task TokenInsert_DuplicateHashIsRejected()
    {
        await using var storage = await CreateAsync();
        var token = Token("tok_a", "claude");
        await storage.Tokens.InsertAsync(token, CancellationToken.None);

        await Assert.ThrowsAnyAsync<DbException>(() => storage.Tokens.InsertAsync(token with { Id = "tok_other" }, CancellationToken.None));
        Assert.Single(await storage.Tokens.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Blobs_FirstInsertWinsPutOverwritesAndMissingIsNull()
    {
        await using var storage = await CreateAsync();
        var blobs = storage.Blobs;
        byte[] first = [0, 1, 2, 255, 0];

        Assert.Null(await blobs.GetAsync("ca", CancellationToken.None));
        Assert.True(await blobs.TryInsertAsync("ca", first, CancellationToken.None));
        Assert.False(await blobs.TryInsertAsync("ca", [9], CancellationToken.None));
        Assert.Equal(first, await blobs.GetAsync("ca", CancellationToken.None));

        byte[] second = [7, 7];
        await blobs.PutAsync("ca", second, CancellationToken.None);
        await blobs.PutAsync("other", [], CancellationToken.None);

        Assert.Equal(second, await blobs.GetAsync("ca", CancellationToken.None));
        Assert.Empty((await blobs.GetAsync("other", CancellationToken.None))!);
    }

    [Fact]
    public async Task RequestLog_AppendThenQueryReturnsTheNewestOldestFirstAndFiltersByVault()
    {
        await using var storage = await CreateAsync();
        var log = storage.RequestLog;
        var records = Enumerable.Range(1, 10).Select(n => SqliteRequestLogRepositoryTests.Record(n, n % 3 == 0 ? "prod" : "dev")).ToList();

        await log.AppendAsync(records, CancellationToken.None);
        await log.AppendAsync([], CancellationToken.None);

        var last3 = await log.QueryAsync(null, 3, CancellationToken.None);
        Assert.Equal(["/repos/8", "/repos/9", "/repos/10"], last3.Select(r => r.Path));
        Assert.Equal(records[7] with { Credentials = [] }, last3[0] with { Credentials = [] });
        Assert.Equal(["GITHUB_TOKEN"], last3[0].Credentials);
        Assert.Equal(["/repos/3", "/repos/6", "/repos/9"], (await log.QueryAsync("prod", 100, CancellationToken.None)).Select(r => r.Path));
    }

    [Fact]
    public async Task RequestLog_KeepsTheApprovalDecisionAndWhoMadeIt()
    {
        await using var storage = await CreateAsync();
        var held = SqliteRequestLogRepositoryTests.Record(1) with { Approval = "denied", DecidedBy = "admin", Error = "approval_denied", Status = 403 };
        var plain = SqliteRequestLogRepositoryTests.Record(2);

        await storage.RequestLog.AppendAsync([held, plain], CancellationToken.None);

        var read = await storage.RequestLog.QueryAsync(null, 2, CancellationToken.None);
        Assert.Equal(("denied", "admin"), (read[0].Approval, read[0].DecidedBy));
        Assert.Equal((null, null), (read[1].Approval, read[1].DecidedBy));
    }

    [Theory]
    [InlineData(10, 3, 3)]
    [InlineData(3, 10, 3)]
    [InlineData(5, 5, 5)]
    [InlineData(5, 0, 0)]
    public async Task RequestLogTrim_KeepsTheNewestRecords(int written, int keep, int expected)
    {
        await using var storage = await CreateAsync();
        var log = storage.RequestLog;
        await log.AppendAsync(Enumerable.Range(1, written).Select(n => SqliteRequestLogRepositoryTests.Record(n)).ToList(), CancellationToken.None);

        await log.TrimAsync(keep, CancellationToken.None);

        var left = await log.QueryAsync(null, 1000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(written - expected + 1, expected).Select(n => $"/repos/{n}"), left.Select(r => r.Path));
    }

    [Fact]
    public async Task Migrate_AgainIsANoOpAndKeepsData()
    {
        await using var storage = await CreateAsync();
        byte[] kept = [1];
        await storage.Blobs.PutAsync("kept", kept, CancellationToken.None);

        await storage.Database.MigrateAsync(CancellationToken.None);
        await storage.OpenAnother().MigrateAsync(CancellationToken.None);

        Assert.Equal(storage.LatestVersion, await storage.SchemaVersionRowsAsync());
        Assert.Equal(kept, await storage.Blobs.GetAsync("kept", CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_ConcurrentInstancesAllSucceedAndApplyEachVersionOnce()
    {
        await using var storage = await CreateEmptyAsync();
        var instances = Enumerable.Range(0, 4).Select(_ => storage.OpenAnother()).ToList();

        await Task.WhenAll(instances.Select(i => Task.Run(() => i.MigrateAsync(CancellationToken.None))));

        Assert.Equal(storage.LatestVersion, await storage.SchemaVersionRowsAsync());
        Assert.Equal(0, await storage.Database.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ConfigState_AnotherInstancesWriteIsPickedUpByThePoll()
    {
        await using var storage = await CreateAsync();
        await storage.Tokens.InsertAsync(Token("tok_1", "claude"), CancellationToken.None);
        using var provider = new ConfigStateProvider(storage.Database, NullLogger<ConfigStateProvider>.Instance);
        await provider.ReloadAsync(CancellationToken.None);
        var changes = 0;
        provider.Changed += _ => changes++;

        await provider.ReloadIfChangedAsync(CancellationToken.None);
        Assert.Equal(0, changes);

        await storage.ConfigOf(storage.OpenAnother()).SaveAsync(SqliteConfigRepositoryTests.SampleDocument(), CancellationToken.None);
        await provider.ReloadIfChangedAsync(CancellationToken.None);

        Assert.Equal(1, changes);
        Assert.Equal(2, provider.Current.Version);
        Assert.Equal(["dev", "empty"], provider.Current.Config.Vaults!.Select(v => v.Name));
        Assert.Equal("tok_1", Assert.Single(provider.Current.Tokens).Id);
    }

    /// <summary>A fresh, migrated database of the engine under test.</summary>
    internal abstract Task<StorageUnderTest> CreateAsync();

    /// <summary>A fresh database of the engine under test, not migrated yet.</summary>
    internal abstract Task<StorageUnderTest> CreateEmptyAsync();

    private static async Task<string> VaultIdAsync(IConfigRepository repository, string vault) =>
        (await repository.LoadAsync(CancellationToken.None)).Vaults!.Single(v => v.Name == vault).Id!;

    private static async Task<List<string>> RevokedAsync(ITokenRepository tokens) =>
        [.. (await tokens.ListAsync(CancellationToken.None)).Where(t => t.RevokedAt is not null).Select(t => t.Id).Order(StringComparer.Ordinal)];

    private static string Json(ConfigDocument document) => JsonSerializer.Serialize(document, ModelJson.Options);

    private static TokenRecord Token(string id, string agent, string kind = "agent", string? vault = null) => new()
    {
        Id = id,
        Hash = TokenHasher.Hash(TokenGenerator.NewProxyToken()),
        Agent = agent,
        Kind = kind,
        Vault = vault,
        Label = kind == "scoped" ? "sandbox" : null,
        CreatedAt = Now,
        ExpiresAt = kind == "scoped" ? Now.AddMinutes(15) : null,
    };
}
