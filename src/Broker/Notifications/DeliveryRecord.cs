namespace AgentVault.Broker.Notifications;

/// <summary>
/// One delivery of one event to one hook as <c>GET /v1/notifications/deliveries</c> shows it: what was sent where, how many
/// attempts, how it ended. <see cref="LastStatus"/> is the last HTTP status, <see cref="Error"/> the class of the last failure
/// (<c>connection_error</c>, <c>timeout</c>, <c>tls_error</c>, <c>destination_blocked</c>, <c>secret_unavailable</c>,
/// <c>http_status</c>, <c>queue_full</c>); never a response body, a secret or a signature.
/// </summary>
internal sealed record DeliveryRecord(
    string Id,
    string Notification,
    string Event,
    string EventId,
    string Status,
    int Attempts,
    int? LastStatus,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? FinishedAt);
