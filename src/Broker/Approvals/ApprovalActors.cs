namespace AgentVault.Broker.Approvals;

/// <summary>Who a decision is recorded as made by, until people sign in with their own identities.</summary>
internal static class ApprovalActors
{
    /// <summary>The caller of the management API: the admin token, or a person signed in to the console with it.</summary>
    public const string Admin = "admin";

    /// <summary>The broker itself: a timeout, a restart, an agent that went away.</summary>
    public const string Broker = "broker";
}
