using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Secrets;

/// <summary>A plugin catalog holding just the given store factories (and the auth schemes a test adds).</summary>
internal sealed class TestCatalog : IPluginCatalog
{
    public TestCatalog(params ISecretStoreFactory[] factories)
    {
        StoreTypes = factories.ToDictionary(f => f.Type, StringComparer.Ordinal);
    }

    public IReadOnlyList<PluginInfo> Plugins { get; } = [];

    public IReadOnlyDictionary<string, ISecretStoreFactory> StoreTypes { get; }

    public IReadOnlyDictionary<string, IAuthSchemeFactory> AuthSchemes { get; init; } = new Dictionary<string, IAuthSchemeFactory>();
}
