namespace AgentVault.Broker.Catalog;

/// <summary>How to turn a template into services: a preset, other credential keys, host parameters and host overrides.</summary>
internal sealed record CatalogExpandOptions
{
    /// <summary>
    /// Another service name (a second GitHub account in one vault): the name of a one-service template's service; with
    /// several services it replaces the template id at the start of each name (<c>github</c>, <c>github-git</c> →
    /// <c>work</c>, <c>work-git</c>). Presets and host overrides still name the template's services.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>A preset of the template (<c>read-only</c>), or null for no rules.</summary>
    public string? Preset { get; init; }

    /// <summary>Template key → the vault's key to use instead (<c>GITHUB_TOKEN</c> → <c>GH_BOT_TOKEN</c>).</summary>
    public IReadOnlyDictionary<string, string>? Keys { get; init; }

    /// <summary>Values of the template's host parameters (<c>site</c> → <c>acme</c>).</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>
    /// Service name → host pattern replacing the template's (a GitHub Enterprise host, a regional endpoint, a gateway). The
    /// empty name stands for the template's only service.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Hosts { get; init; }

    /// <summary>Optional template keys to use (by template key name); the auth settings naming any other optional key are left out.</summary>
    public IReadOnlySet<string>? OptionalKeys { get; init; }
}
