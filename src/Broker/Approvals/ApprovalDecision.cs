namespace AgentVault.Broker.Approvals;

/// <summary>
/// How a held request ended: the status, who decided (<c>admin</c> for the admin token or a console session; <c>broker</c> for
/// a timeout, a restart or an agent that went away) and when.
/// </summary>
internal sealed record ApprovalDecision(ApprovalStatus Status, string By, DateTimeOffset At);
