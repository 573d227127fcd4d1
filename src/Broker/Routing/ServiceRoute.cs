using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;

namespace AgentVault.Broker.Routing;

/// <summary>One service of a vault compiled for the data path: its host pattern, its auth scheme instance and its substitutions.</summary>
internal sealed class ServiceRoute
{
    public required string Vault { get; init; }

    public required string Name { get; init; }

    public required HostPattern Pattern { get; init; }

    /// <summary>Position in the vault's service list (declaration order breaks ties).</summary>
    public required int Order { get; init; }

    public required bool Enabled { get; init; }

    public PathGlob? Path { get; init; }

    /// <summary>The auth scheme created for this service, or null for none/passthrough.</summary>
    public IAuthScheme? Scheme { get; init; }

    /// <summary>Why the auth scheme could not be created (unknown type, invalid settings); requests then fail closed with 502.</summary>
    public string? SchemeError { get; init; }

    /// <summary>Header names removed from the agent's request before the scheme runs.</summary>
    public IReadOnlyCollection<string> HeadersToStrip { get; init; } = [];

    /// <summary>Compiled substitutions (empty when the service declares none).</summary>
    public SubstitutionSet Substitutions { get; init; } = SubstitutionSet.Empty;

    /// <summary>Compiled method/path rules (egress policy).</summary>
    public RuleSet Rules { get; init; } = RuleSet.Empty;

    /// <summary>Compiled <c>rules.approve</c>: requests that wait for a person's decision; null (nothing to check) when the service has none.</summary>
    public ApprovalRules? Approve { get; init; }

    /// <summary>How long a request held by <see cref="Approve"/> waits for a decision.</summary>
    public TimeSpan ApprovalTimeout { get; init; } = Policy.ApprovalTimeout.Default;

    /// <summary>The service's compiled <c>rate_limit</c> (null: none), parsed when the snapshot is built.</summary>
    public RateLimitSpec? RateLimit { get; init; }

    /// <summary>Response redaction mode (egress policy).</summary>
    public RedactionMode Redact { get; init; } = RedactionMode.On;

    public required ServiceDefinition Definition { get; init; }

    /// <summary>
    /// True when a request of this service carries a credential the broker puts in: any auth scheme but <c>passthrough</c>
    /// (also one that failed to load: fail closed), or a substitution.
    /// </summary>
    public bool Injects => Scheme is not PassthroughAuthScheme && (Scheme is not null || SchemeError is not null) || !Substitutions.IsEmpty;

    /// <summary>The service's <c>allow_http</c>: credentials may be injected over a plain-HTTP upstream leg.</summary>
    public bool AllowHttp => Definition.AllowHttp == true;

    public int PathLength => Path?.LiteralLength ?? 0;

    public bool MatchesPort(int port) => Pattern.MatchesPort(port);

    public bool MatchesPath(RequestPath path) => Path is null || Path.Matches(path);
}
