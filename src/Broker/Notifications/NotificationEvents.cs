namespace AgentVault.Broker.Notifications;

/// <summary>The event names a <c>notifications:</c> entry may subscribe to.</summary>
public static class NotificationEvents
{
    public const string ProposalCreated = "proposal.created";
    public const string ProposalDecided = "proposal.decided";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";

    public static IReadOnlyList<string> All { get; } = [ProposalCreated, ProposalDecided, ApprovalRequested, ApprovalDecided];
}
