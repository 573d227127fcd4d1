namespace AgentVault.Broker.Secrets;

/// <summary>Resolves every credential of a vault afresh (bypassing the cache) and reports ok or the error per key.</summary>
public interface ICredentialChecker
{
    Task<IReadOnlyList<CredentialCheckResult>> CheckVaultAsync(string vault, CancellationToken cancellationToken);
}
