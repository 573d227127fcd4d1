using AgentVault.Testing.Postgres;

namespace AgentVault.Broker.Tests.Storage;

/// <summary>One real PostgreSQL server for every test class in the <c>postgres</c> collection (starting one costs seconds).</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("the PostgreSQL fixture is not started");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
