using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Storage.Postgres;
using AgentVault.Testing.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>With no poller running, a write through another instance still reaches this one: PostgreSQL notifies it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresChangeListenerTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task WriteThroughAnotherInstance_IsReloadedWithoutPolling()
    {
        await using var storage = await PostgresStorageUnderTest.CreateAsync(postgres.Server);
        using var provider = new ConfigStateProvider(storage.Database, NullLogger<ConfigStateProvider>.Instance);
        await provider.ReloadAsync(CancellationToken.None);
        using var listener = new PostgresChangeListener(storage.Postgres, provider, NullLogger<PostgresChangeListener>.Instance);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            var other = storage.ConfigOf(storage.OpenAnother());

            // The first write may be seen by the listener's catch-up reload; once it is, the listener is subscribed.
            await other.SaveAsync(new ConfigDocument { Vaults = [new VaultDefinition { Name = "first" }] }, CancellationToken.None);
            await WaitForAsync(provider, "first");

            await other.SaveAsync(new ConfigDocument { Vaults = [new VaultDefinition { Name = "second" }] }, CancellationToken.None);
            await WaitForAsync(provider, "second");

            Assert.Equal(2, provider.Current.Version);
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForAsync(ConfigStateProvider provider, string vault)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (provider.Current.Config.Vaults?.SingleOrDefault()?.Name != vault)
        {
            Assert.True(DateTime.UtcNow < deadline, $"vault '{vault}' did not arrive within {Deadline}");
            await Task.Delay(50);
        }
    }
}
