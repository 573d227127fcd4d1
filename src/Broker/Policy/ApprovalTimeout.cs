using AgentVault.Broker.Model;

namespace AgentVault.Broker.Policy;

/// <summary>A service's <c>approval_timeout</c>: how long a held request waits for a person before it is refused.</summary>
internal static class ApprovalTimeout
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(120);

    public static readonly TimeSpan Min = TimeSpan.FromSeconds(1);

    /// <summary>An agent's connection is not kept open longer than this (clients and load balancers give up earlier anyway).</summary>
    public static readonly TimeSpan Max = TimeSpan.FromHours(1);

    public const string Hint = "approval_timeout must be a duration from 1s to 1h (e.g. 30s, 2m)";

    public static bool IsValid(string? text) => text is null || (Durations.TryParse(text, out var value) && value >= Min && value <= Max);

    /// <summary>The timeout of a validated setting; the default when absent, clamped into range otherwise.</summary>
    public static TimeSpan Resolve(string? text) =>
        text is not null && Durations.TryParse(text, out var value) ? TimeSpan.FromTicks(Math.Clamp(value.Ticks, Min.Ticks, Max.Ticks)) : Default;
}
