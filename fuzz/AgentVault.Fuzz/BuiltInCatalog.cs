using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Secrets;

namespace AgentVault.Fuzz;

/// <summary>The broker's built-in auth schemes and no store plugin: what validation knows with an empty plugins folder.</summary>
internal sealed class BuiltInCatalog : IPluginCatalog
{
    private static readonly IAuthSchemeFactory[] Schemes =
    [
        new BearerAuthSchemeFactory(), new BasicAuthSchemeFactory(), new ApiKeyAuthSchemeFactory(),
        new CustomAuthSchemeFactory(), new PassthroughAuthSchemeFactory(),
    ];

    public IReadOnlyList<PluginInfo> Plugins { get; } = [];

    public IReadOnlyDictionary<string, ISecretStoreFactory> StoreTypes { get; } = new Dictionary<string, ISecretStoreFactory>();

    public IReadOnlyDictionary<string, IAuthSchemeFactory> AuthSchemes { get; } = Schemes.ToDictionary(s => s.Name);
}
