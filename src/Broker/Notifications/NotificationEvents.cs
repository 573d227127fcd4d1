using AgentVault.Broker.Model;

namespace AgentVault.Broker.Notifications;

/// <summary>The event names a <c>notifications:</c> entry may subscribe to (one list with configuration validation: <see cref="NotificationEventNames"/>).</summary>
public static class NotificationEvents
{
    public const string ProposalCreated = NotificationEventNames.ProposalCreated;
    public const string ProposalDecided = NotificationEventNames.ProposalDecided;
    public const string ApprovalRequested = NotificationEventNames.ApprovalRequested;
    public const string ApprovalDecided = NotificationEventNames.ApprovalDecided;

    /// <summary>The event of <c>POST /v1/notifications/{name}/test</c>, delivered to that hook whatever it subscribes to.</summary>
    public const string Test = NotificationEventNames.Test;

    public static IReadOnlyList<string> All => NotificationEventNames.Subscribable;
}
