namespace AgentVault.Broker.Notifications;

/// <summary>How one attempt ended: delivered (2xx), or failed with the HTTP status or an error class, retryable or final.</summary>
internal sealed record WebhookAttempt(bool Delivered, bool Retryable, int? Status, string? Error)
{
    public static WebhookAttempt Answered(int status) =>
        status is >= 200 and < 300 ? new(true, false, status, null) : new(false, WebhookRetryPolicy.IsRetryable(status), status, "http_status");

    public static WebhookAttempt Failed(string error, bool retryable) => new(false, retryable, null, error);

    /// <summary>For the log: <c>HTTP 503</c> or the error class.</summary>
    public string Describe() => Status is { } status ? $"HTTP {status}" : Error ?? "unknown";
}
