namespace AgentVault.Broker.Secrets;

/// <summary>The unit of caching: a store and the path plus canonical query of a reference (the field is not part of it).</summary>
internal readonly record struct CacheKey(string Store, string Path);
