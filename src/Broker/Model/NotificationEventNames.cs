namespace AgentVault.Broker.Model;

/// <summary>
/// The event names of notifications, here so that configuration validation (Management) and delivery (Notifications) share
/// one list; <c>Notifications.NotificationEvents</c> re-exports them for publishers.
/// </summary>
public static class NotificationEventNames
{
    public const string ProposalCreated = "proposal.created";
    public const string ProposalDecided = "proposal.decided";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";

    /// <summary>Sent to one hook on request (<c>POST /v1/notifications/{name}/test</c>); never subscribed to.</summary>
    public const string Test = "notification.test";

    /// <summary>The names an entry's <c>events</c> may list.</summary>
    public static IReadOnlyList<string> Subscribable { get; } = [ProposalCreated, ProposalDecided, ApprovalRequested, ApprovalDecided];
}
