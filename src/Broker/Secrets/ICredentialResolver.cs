namespace AgentVault.Broker.Secrets;

/// <summary>
/// Resolves a vault's credential key to its value through the TTL cache and the store plugin.
/// Throws <see cref="CredentialUnavailableException"/> (→ 502 credential_unavailable) when it cannot.
/// </summary>
public interface ICredentialResolver
{
    ValueTask<string> ResolveAsync(string vault, string key, CancellationToken cancellationToken);
}
