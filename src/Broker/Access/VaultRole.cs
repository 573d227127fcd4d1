namespace AgentVault.Broker.Access;

/// <summary>A role in one vault, ordered: each includes the rights of those below it (SPEC §14).</summary>
public enum VaultRole
{
    None = 0,

    /// <summary>Read the vault's configuration and its logs.</summary>
    Viewer = 1,

    /// <summary>Also change its services and credential references.</summary>
    Editor = 2,

    /// <summary>Also change the vault itself, decide its proposals and held requests, and manage its agents.</summary>
    Admin = 3,
}
