namespace AgentVault.Abstractions.Secrets;

/// <summary>What the broker asks a store for: the path of a reference (<c>store:path?query#field</c> without store, query and field).</summary>
/// <param name="Path">The store-specific path, e.g. <c>secret/data/github</c> or <c>prod/stripe</c>.</param>
/// <param name="Query">Options given after <c>?</c> in the reference (e.g. <c>version</c>, <c>stage</c>); empty when none.</param>
public sealed record SecretRequest(string Path, IReadOnlyDictionary<string, string> Query)
{
    /// <summary>A request without query options.</summary>
    public SecretRequest(string path)
        : this(path, new Dictionary<string, string>(StringComparer.Ordinal))
    {
    }

    /// <summary>Returns a query option, or null when absent.</summary>
    public string? GetQuery(string name) => Query.TryGetValue(name, out var v) ? v : null;
}
