namespace AgentVault.Broker.Proposals;

/// <summary>The bounds of SPEC §12 and the ones it leaves to us (docs/proposals.md).</summary>
internal static class ProposalLimits
{
    /// <summary>A proposal nobody decides on expires after this.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>Pending (unexpired) proposals per vault; one more is 429.</summary>
    public const int PendingPerVault = 20;

    /// <summary>Pending proposals one agent may have in one vault, so one agent cannot take every slot of a vault.</summary>
    public const int PendingPerAgent = 5;

    /// <summary>Largest proposal, as stored (services and credentials as JSON).</summary>
    public const int MaxChangesBytes = 64 * 1024;

    public const int MaxServices = 10;

    public const int MaxCredentials = 20;

    public const int MaxMessageLength = 2000;

    public const int MaxDescriptionLength = 500;

    public const int MaxReasonLength = 1000;

    /// <summary>Most proposals a list answers with (newest first).</summary>
    public const int ListLimit = 200;
}
