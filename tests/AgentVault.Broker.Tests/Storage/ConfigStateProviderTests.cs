using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Storage;

public sealed class ConfigStateProviderTests
{
    [Fact]
    public async Task Reload_PublishesConfigAndTokensAndRaisesChanged()
    {
        using var db = await TestDatabase.CreateAsync();
        await new SqliteConfigRepository(db.Database, TimeProvider.System).SaveAsync(SqliteConfigRepositoryTests.SampleDocument(), CancellationToken.None);
        await new SqliteTokenRepository(db.Database).InsertAsync(
            new TokenRecord { Id = "tok_1", Hash = new string('a', 64), Agent = "claude", Kind = "agent", CreatedAt = DateTimeOffset.UnixEpoch }, CancellationToken.None);
        using var provider = new ConfigStateProvider(db.Database, NullLogger<ConfigStateProvider>.Instance);
        ConfigState? raised = null;
        provider.Changed += state => raised = state;

        Assert.Same(ConfigState.Empty, provider.Current);
        await provider.ReloadAsync(CancellationToken.None);

        Assert.Same(provider.Current, raised);
        Assert.Equal(2, provider.Current.Version);
        Assert.Equal(["dev", "empty"], provider.Current.Config.Vaults!.Select(v => v.Name));
        Assert.Equal("tok_1", Assert.Single(provider.Current.Tokens).Id);
    }

    [Fact]
    public async Task ReloadIfChanged_PicksUpAWriteFromAnotherInstance()
    {
        using var db = await TestDatabase.CreateAsync();
        using var provider = new ConfigStateProvider(db.Database, NullLogger<ConfigStateProvider>.Instance);
        await provider.ReloadAsync(CancellationToken.None);
        var changes = 0;
        provider.Changed += _ => changes++;

        await provider.ReloadIfChangedAsync(CancellationToken.None);
        Assert.Equal(0, changes);

        // A second broker instance sharing the database writes.
        await new SqliteConfigRepository(db.Open(), TimeProvider.System).SaveAsync(new ConfigDocument { Vaults = [new VaultDefinition { Name = "other" }] }, CancellationToken.None);
        await provider.ReloadIfChangedAsync(CancellationToken.None);

        Assert.Equal(1, changes);
        Assert.Equal("other", Assert.Single(provider.Current.Config.Vaults!).Name);
    }

    [Fact]
    public async Task Poller_ReloadsAfterAnExternalWrite()
    {
        using var db = await TestDatabase.CreateAsync();
        using var provider = new ConfigStateProvider(db.Database, NullLogger<ConfigStateProvider>.Instance);
        await provider.ReloadAsync(CancellationToken.None);
        using var poller = new ConfigChangePoller(provider, TimeProvider.System, NullLogger<ConfigChangePoller>.Instance);
        await poller.StartAsync(CancellationToken.None);

        await new SqliteConfigRepository(db.Open(), TimeProvider.System).SaveAsync(new ConfigDocument { Vaults = [new VaultDefinition { Name = "polled" }] }, CancellationToken.None);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (provider.Current.Config.Vaults is not [{ Name: "polled" }] && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await poller.StopAsync(CancellationToken.None);
        Assert.Equal("polled", Assert.Single(provider.Current.Config.Vaults!).Name);
    }
}
