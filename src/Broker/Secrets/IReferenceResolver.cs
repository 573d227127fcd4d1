namespace AgentVault.Broker.Secrets;

/// <summary>Resolves a parsed reference (not a vault key) through the cache; used for bootstrap references between stores.</summary>
internal interface IReferenceResolver
{
    ValueTask<string> ResolveReferenceAsync(CredentialReference reference, CancellationToken cancellationToken);
}
