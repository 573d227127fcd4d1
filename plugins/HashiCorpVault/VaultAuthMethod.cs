namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>How the store authenticates to Vault.</summary>
internal enum VaultAuthMethod
{
    /// <summary>A token given as a reference, read before every request.</summary>
    Token,

    /// <summary>AppRole login with a role id and a secret id.</summary>
    AppRole,

    /// <summary>Kubernetes login with the pod's service-account JWT.</summary>
    Kubernetes,
}
