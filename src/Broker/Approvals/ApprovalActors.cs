namespace AgentVault.Broker.Approvals;

/// <summary>Who a decision is recorded as made by when no person made it (a person's decision records their actor, SPEC §14).</summary>
internal static class ApprovalActors
{
    /// <summary>The broker itself: a timeout, a restart, an agent that went away.</summary>
    public const string Broker = "broker";
}
