using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>What loading one plugin folder produced: the factories it registered, or the error that made it fail.</summary>
internal sealed record PluginLoadResult(
    string Name,
    string? Version,
    string? Error,
    IReadOnlyList<ISecretStoreFactory> StoreTypes,
    IReadOnlyList<IAuthSchemeFactory> AuthSchemes)
{
    public static PluginLoadResult Failed(string name, string? version, string error) => new(name, version, error, [], []);
}
