namespace AgentVault.Abstractions.Auth;

/// <summary>A credential could not be obtained or applied; the broker answers 502 <c>credential_unavailable</c>. The message never holds a secret.</summary>
public sealed class AuthSchemeException : Exception
{
    /// <summary>Creates the exception; <paramref name="credentialKey"/> names the key involved, if any.</summary>
    public AuthSchemeException(string message, string? credentialKey = null, Exception? innerException = null)
        : base(message, innerException)
    {
        CredentialKey = credentialKey;
    }

    /// <summary>The credential key that could not be resolved, when one is involved.</summary>
    public string? CredentialKey { get; }
}
