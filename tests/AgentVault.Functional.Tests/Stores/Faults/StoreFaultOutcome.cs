namespace AgentVault.Functional.Tests.Stores.Faults;

/// <summary>
/// One request through the proxy during a store-fault test: when it was sent and answered (seconds since the test began),
/// whether the store had already met the fault before it was sent, the status, and what the upstream received for it.
/// </summary>
internal sealed record StoreFaultOutcome(double SentAt, double AnsweredAt, bool StoreTriedBefore, int Status, string? ErrorCode, string Body, string? Authorization)
{
    public double Latency => AnsweredAt - SentAt;

    /// <summary>Shows the outcome without the credential the upstream received.</summary>
    public override string ToString() =>
        $"sent {SentAt:0.00}s, {Status} {ErrorCode} after {Latency:0.00}s, store tried before: {StoreTriedBefore}, upstream saw {(Authorization is null ? "nothing" : "a credential")}";
}
