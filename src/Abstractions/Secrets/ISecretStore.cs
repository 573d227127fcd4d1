namespace AgentVault.Abstractions.Secrets;

/// <summary>A configured secret store; it fetches values on request and never caches them (the broker does).</summary>
public interface ISecretStore : IAsyncDisposable
{
    /// <summary>Reads the secret at a path; throws <see cref="SecretStoreException"/> on failure.</summary>
    Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken);

    /// <summary>Authenticates against the store and checks it is reachable; throws <see cref="SecretStoreException"/> on failure.</summary>
    Task TestAsync(CancellationToken cancellationToken);
}
