namespace AgentVault.Broker.Secrets;

/// <summary>
/// Resolves a vault's credential key to its value through the TTL cache and the store plugin.
/// Throws <see cref="CredentialUnavailableException"/> (→ 502 credential_unavailable) when it cannot.
/// </summary>
internal interface ICredentialResolver
{
    /// <summary>Resolves against the current snapshot's bindings.</summary>
    ValueTask<string> ResolveAsync(string vault, string key, CancellationToken cancellationToken);

    /// <summary>Resolves against the given bindings: a request passes those of the snapshot it holds, so its routes and credentials come from one version.</summary>
    ValueTask<string> ResolveAsync(CredentialBindings bindings, string vault, string key, CancellationToken cancellationToken);
}
