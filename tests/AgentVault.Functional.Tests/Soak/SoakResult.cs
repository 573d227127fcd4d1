namespace AgentVault.Functional.Tests.Soak;

/// <summary>How one soak request ended, as the agent saw it.</summary>
internal readonly record struct SoakResult(SoakOutcome Outcome, int Status, string? Detail = null, TimeSpan RetryAfter = default)
{
    public static SoakResult Ok(int status) => new(SoakOutcome.Ok, status);

    public static SoakResult Failed(string detail, int status = 0) => new(SoakOutcome.Failed, status, detail);
}
