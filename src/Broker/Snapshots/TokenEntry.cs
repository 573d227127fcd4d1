using System.Collections.Frozen;

namespace AgentVault.Broker.Snapshots;

/// <summary>One usable token of the in-memory index: which agent it belongs to and which vaults it may act in.</summary>
internal sealed class TokenEntry
{
    public required string Id { get; init; }

    public required string Hash { get; init; }

    public required string Agent { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The vaults the token may use (existing vaults only); for a scoped token its one vault.</summary>
    public required FrozenSet<string> Vaults { get; init; }

    /// <summary>The vault used when the agent names none: the only one it has, else null.</summary>
    public string? DefaultVault { get; init; }
}
