namespace AgentVault.Testing.Fakes.Vault;

/// <summary>Mounts and clock of a <see cref="FakeVaultServer"/>.</summary>
public sealed record FakeVaultOptions
{
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>KV version 2 mounts (default <c>secret</c>).</summary>
    public IReadOnlyList<string> Kv2Mounts { get; init; } = ["secret"];

    /// <summary>KV version 1 mounts (default <c>kv1</c>).</summary>
    public IReadOnlyList<string> Kv1Mounts { get; init; } = ["kv1"];

    public string DatabaseMount { get; init; } = "database";

    public string AppRoleMount { get; init; } = "approle";

    public string KubernetesMount { get; init; } = "kubernetes";

    /// <summary>When set, every request must carry this <c>X-Vault-Namespace</c>, else it is answered 404 like an unknown route.</summary>
    public string? Namespace { get; init; }

    /// <summary>A fixed port to listen on (so a test can stop and restart the server); 0 picks a free one.</summary>
    public int Port { get; init; }
}
