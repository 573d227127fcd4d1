namespace AgentVault.Broker.Approvals;

/// <summary>Where a held request stands; every status but <see cref="Pending"/> is final.</summary>
internal enum ApprovalStatus
{
    Pending,
    Approved,
    Denied,

    /// <summary>The service's <c>approval_timeout</c> passed without a decision.</summary>
    Timeout,

    /// <summary>The agent went away (closed the connection or reset the stream) before anyone decided.</summary>
    Cancelled,
}
