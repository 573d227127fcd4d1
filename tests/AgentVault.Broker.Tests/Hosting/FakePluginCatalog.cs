using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Hosting;

/// <summary>A plugin catalog over the auth schemes, store types and plugin list a test gives it (none when not given).</summary>
internal sealed class FakePluginCatalog(
    IEnumerable<IAuthSchemeFactory> authSchemes,
    IEnumerable<ISecretStoreFactory>? storeTypes = null,
    IReadOnlyList<PluginInfo>? plugins = null) : IPluginCatalog
{
    public IReadOnlyList<PluginInfo> Plugins { get; } = plugins ?? [];

    public IReadOnlyDictionary<string, ISecretStoreFactory> StoreTypes { get; } = (storeTypes ?? []).ToDictionary(f => f.Type, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, IAuthSchemeFactory> AuthSchemes { get; } = authSchemes.ToDictionary(f => f.Name, StringComparer.Ordinal);
}
