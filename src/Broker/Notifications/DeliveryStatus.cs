namespace AgentVault.Broker.Notifications;

/// <summary>The <c>status</c> values of a <see cref="DeliveryRecord"/>.</summary>
internal static class DeliveryStatus
{
    /// <summary>Queued, not yet tried.</summary>
    public const string Pending = "pending";

    /// <summary>An attempt failed in a way worth retrying; the next one is scheduled.</summary>
    public const string Retrying = "retrying";

    /// <summary>The hook answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Given up: a final answer or error, or the last attempt failed.</summary>
    public const string Failed = "failed";

    /// <summary>Never tried: the queue was full when the event was published.</summary>
    public const string Dropped = "dropped";
}
