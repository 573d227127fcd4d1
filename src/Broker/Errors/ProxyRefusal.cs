namespace AgentVault.Broker.Errors;

/// <summary>A request the proxy refuses: the error and a detail for the agent (never a secret).</summary>
internal readonly record struct ProxyRefusal(ProxyError Error, string Detail, TimeSpan? RetryAfter = null)
{
    /// <summary>
    /// For <c>host_not_allowed</c>: the host and port an agent may propose a service for, written as
    /// <c>proposal_hint: { host, port, endpoint: "/v1/proposals" }</c> (SPEC §5, §12).
    /// </summary>
    public (string Host, int Port)? ProposalHint { get; init; }
}
