namespace AgentVault.Broker.Security;

/// <summary>What unlocks the data key: the master password (from AGENT_VAULT_MASTER_PASSWORD or --password-stdin) or, with --dev, a generated key file.</summary>
internal sealed class MasterKeyOptions
{
    public const string KeyFileName = "master.key";

    public required string DataDir { get; init; }

    public bool Dev { get; init; }

    /// <summary>Argon2id cost for a new data directory (tests lower it; existing directories use their stored parameters).</summary>
    public Argon2idParameters NewKeyParameters { get; init; } = Argon2idParameters.Default;

    /// <summary>The master password; cleared by <see cref="MasterKeyUnlocker"/> once the data key is unlocked.</summary>
    public string? Password { get; set; }

    public string KeyFilePath => Path.Combine(DataDir, KeyFileName);

    public override string ToString() => $"MasterKeyOptions(DataDir={DataDir}, Dev={Dev}, Password={(Password is null ? "unset" : "set")})";
}
