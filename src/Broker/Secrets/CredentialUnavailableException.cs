using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>A credential could not be resolved; the message names store and key, never a value.</summary>
public sealed class CredentialUnavailableException : Exception
{
    public CredentialUnavailableException(string vault, string key, string? store, SecretErrorCategory category, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Vault = vault;
        Key = key;
        Store = store;
        Category = category;
    }

    public string Vault { get; }

    public string Key { get; }

    public string? Store { get; }

    public SecretErrorCategory Category { get; }
}
