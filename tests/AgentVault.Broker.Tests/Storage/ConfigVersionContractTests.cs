using AgentVault.Broker.Model;
using AgentVault.Broker.Security;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>
/// Compare-and-swap saves of the configuration, on every metadata engine (<see cref="SqliteConfigVersionContractTests"/>,
/// <see cref="PostgresConfigVersionContractTests"/>): of writers that loaded the same version exactly one saves, and token
/// writes never move the configuration version.
/// </summary>
public abstract class ConfigVersionContractTests
{
    [Fact]
    public async Task SaveWithTheLoadedVersion_SavesAndBumpsBothVersions()
    {
        await using var storage = await CreateAsync();
        var repository = storage.Config(TimeProvider.System);
        var loaded = await repository.LoadVersionedAsync(CancellationToken.None);
        var change = await storage.Database.GetVersionAsync(CancellationToken.None);

        var saved = await repository.SaveAsync(Named("first"), loaded.Version, CancellationToken.None);

        Assert.Equal(new ConfigSaveResult(true, loaded.Version + 1), saved);
        var reloaded = await storage.ConfigOf(storage.OpenAnother()).LoadVersionedAsync(CancellationToken.None);
        Assert.Equal(loaded.Version + 1, reloaded.Version);
        Assert.Equal(["first"], reloaded.Document.Vaults!.Select(v => v.Name));
        Assert.Equal(change + 1, await storage.Database.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task SaveWithAStaleVersion_IsRefusedWithTheCurrentVersionAndWritesNothing()
    {
        await using var storage = await CreateAsync();
        var repository = storage.Config(TimeProvider.System);
        var other = storage.ConfigOf(storage.OpenAnother());
        var loaded = await repository.LoadVersionedAsync(CancellationToken.None);
        Assert.True((await other.SaveAsync(Named("theirs"), loaded.Version, CancellationToken.None)).Saved);
        var change = await storage.Database.GetVersionAsync(CancellationToken.None);

        var refused = await repository.SaveAsync(Named("mine"), loaded.Version, CancellationToken.None);

        Assert.Equal(new ConfigSaveResult(false, loaded.Version + 1), refused);
        Assert.Equal(["theirs"], (await repository.LoadAsync(CancellationToken.None)).Vaults!.Select(v => v.Name));
        Assert.Equal(change, await storage.Database.GetVersionAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentSavesFromOneVersion_ExactlyOneWinsAndOnlyItsDocumentIsStored()
    {
        await using var storage = await CreateAsync();
        var loaded = await storage.Config(TimeProvider.System).LoadVersionedAsync(CancellationToken.None);
        var writers = Enumerable.Range(0, 6).Select(i => (Name: $"writer{i}", Repository: storage.ConfigOf(storage.OpenAnother()))).ToList();
        using var start = new ManualResetEventSlim();

        var saves = writers.Select(w => Task.Run(async () =>
        {
            start.Wait();
            return (w.Name, Result: await w.Repository.SaveAsync(Named(w.Name), loaded.Version, CancellationToken.None));
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(saves);

        var winner = Assert.Single(results, r => r.Result.Saved);
        Assert.All(results.Where(r => !r.Result.Saved), r => Assert.Equal(loaded.Version + 1, r.Result.Version));
        var stored = await storage.Config(TimeProvider.System).LoadVersionedAsync(CancellationToken.None);
        Assert.Equal(loaded.Version + 1, stored.Version);
        Assert.Equal([winner.Name], stored.Document.Vaults!.Select(v => v.Name));
    }

    [Fact]
    public async Task TokenWrites_BumpTheChangeVersionButNotTheConfigVersion()
    {
        await using var storage = await CreateAsync();
        var repository = storage.Config(TimeProvider.System);
        var loaded = await repository.LoadVersionedAsync(CancellationToken.None);
        var change = await storage.Database.GetVersionAsync(CancellationToken.None);

        await storage.Tokens.InsertAsync(Token("tok_1"), CancellationToken.None);
        await storage.Tokens.RevokeAsync("tok_1", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(change + 2, await storage.Database.GetVersionAsync(CancellationToken.None));
        Assert.True((await repository.SaveAsync(Named("after-tokens"), loaded.Version, CancellationToken.None)).Saved);
    }

    [Fact]
    public async Task LoadState_CarriesTheConfigVersionBesideTheChangeVersion()
    {
        await using var storage = await CreateAsync();
        var repository = storage.Config(TimeProvider.System);
        await repository.SaveAsync(Named("one"), CancellationToken.None);
        await repository.SaveAsync(Named("two"), 1, CancellationToken.None);
        await storage.Tokens.InsertAsync(Token("tok_1"), CancellationToken.None);

        var state = await storage.OpenAnother().LoadStateAsync(CancellationToken.None);

        Assert.Equal(2, state.ConfigVersion);
        Assert.Equal(3, state.Version);
        Assert.Equal(["two"], state.Config.Vaults!.Select(v => v.Name));
    }

    /// <summary>A fresh, migrated database of the engine under test.</summary>
    internal abstract Task<StorageUnderTest> CreateAsync();

    private static ConfigDocument Named(string vault) => new() { Stores = [], Vaults = [new VaultDefinition { Name = vault }], Agents = [] };

    private static TokenRecord Token(string id) => new()
    {
        Id = id,
        Hash = TokenHasher.Hash(TokenGenerator.NewProxyToken()),
        Agent = "claude",
        Kind = "agent",
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
