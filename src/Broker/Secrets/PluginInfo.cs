namespace AgentVault.Broker.Secrets;

/// <summary>One plugin folder as reported by <c>GET /v1/plugins</c> and <c>plugins list</c>.</summary>
public sealed record PluginInfo(
    string Name,
    string? Version,
    string Status,
    string? Error,
    IReadOnlyList<string> StoreTypes,
    IReadOnlyList<string> AuthSchemes);
