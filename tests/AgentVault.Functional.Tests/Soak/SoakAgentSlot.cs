namespace AgentVault.Functional.Tests.Soak;

/// <summary>An agent seat of the soak: the identity its lanes use now, replaced by the operator after each revocation.</summary>
internal sealed class SoakAgentSlot(SoakIdentity first, string? rateLimit)
{
    private SoakIdentity _current = first;

    public SoakIdentity Current => Volatile.Read(ref _current);

    /// <summary>The agent's own <c>rate_limit</c>, carried over to its replacements (null: server defaults).</summary>
    public string? RateLimit { get; } = rateLimit;

    /// <summary>How many identities the seat has had (1 + revocations).</summary>
    public int Generation { get; private set; } = 1;

    public void Publish(SoakIdentity next)
    {
        Generation++;
        Volatile.Write(ref _current, next);
    }

    /// <summary>Waits until the operator has published a successor of <paramref name="revoked"/>; false at the deadline.</summary>
    public async Task<bool> WaitForSuccessorAsync(SoakIdentity revoked, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + deadline;
        while (ReferenceEquals(Current, revoked))
        {
            if (DateTime.UtcNow >= until || cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            await Task.Delay(50, CancellationToken.None);
        }

        return true;
    }
}
