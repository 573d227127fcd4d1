using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;

namespace AgentVault.Bench.Micro;

/// <summary>A configuration snapshot that never changes, for components that subscribe to <see cref="IConfigStateProvider"/>.</summary>
internal sealed class StaticConfigState(ConfigState current) : IConfigStateProvider
{
    public ConfigState Current { get; } = current;

    public event Action<ConfigState>? Changed
    {
        add { }
        remove { }
    }

    public Task ReloadAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
