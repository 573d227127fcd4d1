using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tests.Hosting;

namespace AgentVault.Broker.Tests.Storage;

public sealed class SqliteConfigRepositoryTests
{
    internal static ConfigDocument SampleDocument() => new()
    {
        Stores =
        [
            new StoreDefinition
            {
                Name = "hcv",
                Type = "hashicorp-vault",
                Settings = JsonNode.Parse("""{"address":"https://vault.internal:8200","auth":{"method":"approle","role_id":"env:VAULT_ROLE_ID"}}""")!.AsObject(),
                Cache = new CacheDefinition { Ttl = "60s", MaxStale = "5m" },
            },
            new StoreDefinition { Name = "local", Type = "file" },
        ],
        Vaults =
        [
            new VaultDefinition
            {
                Name = "dev",
                Unmatched = "deny",
                Credentials = new Dictionary<string, CredentialDefinition>
                {
                    ["ZETA_TOKEN"] = new() { Ref = "hcv:secret/data/github#token" },
                    ["ANTHROPIC_KEY"] = new() { Ref = "local:anthropic", Ttl = "30s" },
                },
                Services =
                [
                    new ServiceDefinition
                    {
                        Name = "github",
                        Host = "api.github.com",
                        Auth = JsonNode.Parse("""{"type":"bearer","token":"ZETA_TOKEN"}""")!.AsObject(),
                        Rules = new RulesDefinition { Allow = ["GET /repos/**"] },
                        RateLimit = "120/min",
                    },
                    new ServiceDefinition
                    {
                        Name = "anthropic",
                        Host = "api.anthropic.com",
                        Auth = JsonNode.Parse("""{"type":"api-key","key":"ANTHROPIC_KEY","header":"x-api-key"}""")!.AsObject(),
                        Substitutions = [new SubstitutionDefinition { Key = "ANTHROPIC_KEY", Placeholder = "__k__", In = ["path"] }],
                        Enabled = false,
                    },
                ],
            },
            new VaultDefinition { Name = "empty" },
        ],
        Agents =
        [
            new AgentDefinition { Name = "claude", Vaults = ["dev"], CanMint = true, RateLimit = "10/s", MaxInFlight = 4 },
            new AgentDefinition { Name = "aider", Vaults = ["dev", "empty"] },
        ],
    };

    private static string Json(ConfigDocument document) => JsonSerializer.Serialize(document, ModelJson.Options);

    [Fact]
    public async Task SaveThenLoad_RoundTripsTheDocumentInOrder()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteConfigRepository(db.Database, TimeProvider.System);
        var document = SampleDocument();

        await repository.SaveAsync(document, CancellationToken.None);
        var loaded = await new SqliteConfigRepository(db.Open(), TimeProvider.System).LoadAsync(CancellationToken.None);

        // The empty vault comes back with empty (not null) collections; normalise the expectation the same way.
        var expected = document with { Vaults = [document.Vaults![0], document.Vaults[1] with { Credentials = [], Services = [] }] };
        Assert.Equal(Json(expected), Json(loaded));
        Assert.Equal(["ZETA_TOKEN", "ANTHROPIC_KEY"], loaded.Vaults![0].Credentials!.Keys);
    }

    [Fact]
    public async Task EmptyDatabase_LoadsAnEmptyDocumentAtVersionZero()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteConfigRepository(db.Database, TimeProvider.System);

        var loaded = await repository.LoadAsync(CancellationToken.None);

        Assert.Empty(loaded.Stores!);
        Assert.Empty(loaded.Vaults!);
        Assert.Empty(loaded.Agents!);
        Assert.Equal(0, await repository.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Save_ReplacesEverythingAndBumpsTheVersion()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteConfigRepository(db.Database, TimeProvider.System);
        await repository.SaveAsync(SampleDocument(), CancellationToken.None);
        var before = await repository.GetVersionAsync(CancellationToken.None);

        var smaller = new ConfigDocument { Stores = [new StoreDefinition { Name = "local", Type = "file" }], Vaults = [], Agents = [new AgentDefinition { Name = "aider" }] };
        await repository.SaveAsync(smaller, CancellationToken.None);

        var loaded = await repository.LoadAsync(CancellationToken.None);
        Assert.Equal(["local"], loaded.Stores!.Select(s => s.Name));
        Assert.Empty(loaded.Vaults!);
        Assert.Equal(["aider"], loaded.Agents!.Select(a => a.Name));
        Assert.Equal(before + 1, await repository.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Save_KeepsAnAgentsCreationTime()
    {
        using var db = await TestDatabase.CreateAsync();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var repository = new SqliteConfigRepository(db.Database, clock);
        await repository.SaveAsync(new ConfigDocument { Agents = [new AgentDefinition { Name = "claude" }] }, CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(3));

        await repository.SaveAsync(new ConfigDocument { Agents = [new AgentDefinition { Name = "claude", CanMint = true }, new AgentDefinition { Name = "aider" }] }, CancellationToken.None);

        await using var connection = await db.Database.OpenAsync(CancellationToken.None);
        var created = await SqliteDatabase.QueryAsync(connection, null, "SELECT name, created_at FROM agents ORDER BY position;", r => (r.GetString(0), r.GetString(1)), CancellationToken.None);
        Assert.Equal([("claude", "2026-01-01T00:00:00.0000000Z"), ("aider", "2026-01-04T00:00:00.0000000Z")], created);
    }
}
