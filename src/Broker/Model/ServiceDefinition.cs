using System.Text.Json.Nodes;

namespace AgentVault.Broker.Model;

/// <summary>An upstream API of a vault: which host it matches and how credentials are applied.</summary>
public sealed record ServiceDefinition
{
    /// <summary>Slug: lower-case letters, digits and dashes.</summary>
    public required string Name { get; init; }

    /// <summary><c>api.example.com</c>, <c>*.example.com</c>, optional <c>:port</c>, optional path glob (<c>slack.com/api/*</c>).</summary>
    public required string Host { get; init; }

    /// <summary><c>{ type: bearer, token: KEY }</c> and the scheme's other settings.</summary>
    public JsonObject? Auth { get; init; }

    public List<SubstitutionDefinition>? Substitutions { get; init; }

    public RulesDefinition? Rules { get; init; }

    /// <summary><c>120/min</c>, <c>10/s</c>.</summary>
    public string? RateLimit { get; init; }

    /// <summary><c>off</c>, <c>on</c> (default) or <c>strict</c>.</summary>
    public string? Redact { get; init; }

    public bool? Enabled { get; init; }

    /// <summary>
    /// Lets credentials be injected over a plain-HTTP upstream leg (a lab upstream). Without it a request that would inject over
    /// plain HTTP is refused with 403 <c>insecure_upstream</c>.
    /// </summary>
    public bool? AllowHttp { get; init; }

    /// <summary>How long a request held by <c>rules.approve</c> waits for a decision (default <c>120s</c>, 1s to 1h).</summary>
    public string? ApprovalTimeout { get; init; }
}
