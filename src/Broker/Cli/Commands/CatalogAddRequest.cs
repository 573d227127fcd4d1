namespace AgentVault.Broker.Cli.Commands;

/// <summary>What <c>vault service add --from-catalog</c> was asked to do, parsed from its options.</summary>
internal sealed record CatalogAddRequest
{
    public required string Vault { get; init; }

    public required string TemplateId { get; init; }

    /// <summary><c>--name</c>: another name for the template's service(s) (<see cref="Catalog.CatalogExpandOptions.Name"/>).</summary>
    public string? Name { get; init; }

    public string? Preset { get; init; }

    /// <summary><c>--credential KEY=REF</c>: references to set for the (possibly renamed) keys.</summary>
    public required IReadOnlyDictionary<string, string> Credentials { get; init; }

    /// <summary><c>--key TEMPLATE_KEY=VAULT_KEY</c>.</summary>
    public required IReadOnlyDictionary<string, string> Keys { get; init; }

    /// <summary><c>--param NAME=VALUE</c>.</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary><c>--host [SERVICE=]HOST</c>; the empty service name stands for the template's only service.</summary>
    public required IReadOnlyDictionary<string, string> Hosts { get; init; }

    public string? RateLimit { get; init; }

    public bool Replace { get; init; }

    public bool Json { get; init; }
}
