namespace AgentVault.Abstractions.Auth;

/// <summary>Resolves the vault's credential keys for an auth scheme; every value returned is also registered for response redaction.</summary>
public interface ICredentialAccessor
{
    /// <summary>Returns the value of credential <paramref name="key"/>; throws <see cref="AuthSchemeException"/> when it cannot be resolved.</summary>
    ValueTask<string> GetAsync(string key, CancellationToken cancellationToken);
}
