using AgentVault.Broker.Errors;

namespace AgentVault.Broker.Approvals;

/// <summary>
/// What the approval step decided for one request: for the request log, how it passed or ended (<c>approved</c>,
/// <c>denied</c>, <c>timeout</c>, <c>granted</c>, <c>cancelled</c>; null when no approve rule matched) and who decided; and the
/// refusal that ends the request, if any.
/// </summary>
internal readonly record struct ApprovalOutcome(string? Approval, string? DecidedBy, ProxyRefusal? Refusal)
{
    /// <summary>No approve rule matched: the request goes on untouched.</summary>
    public static ApprovalOutcome NotHeld => default;
}
