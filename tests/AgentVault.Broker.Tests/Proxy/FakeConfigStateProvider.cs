using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>An in-memory <see cref="IConfigStateProvider"/> whose snapshots the test publishes.</summary>
internal sealed class FakeConfigStateProvider : IConfigStateProvider
{
    private ConfigState _current = ConfigState.Empty;

    public ConfigState Current => _current;

    public event Action<ConfigState>? Changed;

    public void Publish(ConfigDocument config, IReadOnlyList<TokenRecord> tokens)
    {
        _current = new ConfigState(_current.Version + 1, config, tokens);
        Changed?.Invoke(_current);
    }

    public Task ReloadAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
