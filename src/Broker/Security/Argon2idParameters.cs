namespace AgentVault.Broker.Security;

/// <summary>Argon2id cost parameters (RFC 9106); stored next to the wrapped data key so they can be raised later without breaking old data directories.</summary>
public sealed record Argon2idParameters(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>64 MiB, 3 passes, 1 lane: above the OWASP minimum (19 MiB, t=2) and well under a second on a small server.</summary>
    public static Argon2idParameters Default { get; } = new(64 * 1024, 3, 1);

    /// <summary>Refuses parameters outside a sane range (a tampered blob must not make start-up allocate gigabytes or run for hours).</summary>
    public bool IsReasonable =>
        MemoryKiB is >= 8 and <= 4 * 1024 * 1024 && Iterations is >= 1 and <= 64 && Parallelism is >= 1 and <= 64 && MemoryKiB >= 8 * Parallelism;
}
