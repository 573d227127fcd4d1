namespace AgentVault.Broker.Notifications;

/// <summary>
/// How often and when a webhook is tried: <see cref="MaxAttempts"/> attempts, waiting 1 s, 2 s, 4 s, 8 s between them, each
/// attempt bounded by <see cref="AttemptTimeout"/>. Network errors, timeouts, 5xx and 429 are retried; other answers are final.
/// </summary>
internal static class WebhookRetryPolicy
{
    public const int MaxAttempts = 5;

    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): 1 s doubling each time.</summary>
    public static TimeSpan DelayAfter(int attempt) => TimeSpan.FromSeconds(Math.Pow(2, Math.Clamp(attempt, 1, MaxAttempts) - 1));

    /// <summary>Whether an HTTP answer with <paramref name="status"/> is worth another attempt.</summary>
    public static bool IsRetryable(int status) => status is 429 or >= 500;
}
