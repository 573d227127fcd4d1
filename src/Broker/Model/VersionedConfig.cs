namespace AgentVault.Broker.Model;

/// <summary>
/// A configuration document with the configuration version it was read at (one transaction): the version a
/// compare-and-swap save of an edit of it expects, and the API's <c>ETag</c>.
/// </summary>
public sealed record VersionedConfig(ConfigDocument Document, long Version);
