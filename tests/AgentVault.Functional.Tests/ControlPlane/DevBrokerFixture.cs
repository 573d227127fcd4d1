using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>One --dev broker shared by the tests of a class that only read, or write names of their own.</summary>
public sealed class DevBrokerFixture : IAsyncLifetime
{
    private BrokerProcess? _broker;

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _broker = await BrokerProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
