using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Proxy;

internal sealed class FakePluginCatalog : IPluginCatalog
{
    public FakePluginCatalog(IEnumerable<IAuthSchemeFactory> factories) =>
        AuthSchemes = factories.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public IReadOnlyList<PluginInfo> Plugins => [];

    public IReadOnlyDictionary<string, ISecretStoreFactory> StoreTypes { get; } = new Dictionary<string, ISecretStoreFactory>();

    public IReadOnlyDictionary<string, IAuthSchemeFactory> AuthSchemes { get; }
}
