namespace AgentVault.Functional.Tests.Soak;

/// <summary>The classes of answers the soak tells apart.</summary>
internal enum SoakOutcome
{
    /// <summary>Answered by the upstream, with this agent's own credential, path and body checked.</summary>
    Ok,

    /// <summary>407 (inside a tunnel or at CONNECT), or the auth throttle's 429: expected only for a token being revoked.</summary>
    AuthRefused,

    /// <summary>429 <c>rate_limited</c> from an agent's or service's limit: the expected limit refusal.</summary>
    LimitRefused,

    /// <summary>403 <c>rule_denied</c>: expected only for the operator's probes of a rule just changed.</summary>
    RuleDenied,

    /// <summary>Anything else: a failure of the soak.</summary>
    Failed,
}
