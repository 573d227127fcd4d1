namespace AgentVault.Testing.Upstream;

/// <summary>A response read by <see cref="RawProxyClient"/>: status, headers (last value wins) and body as text.</summary>
public sealed record RawResponse(int Status, Dictionary<string, string> Headers, string Body);
