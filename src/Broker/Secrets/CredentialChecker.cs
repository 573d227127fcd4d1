using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>Resolves every credential of a vault straight from its store (no cache, no breaker) and reports ok or the error per key.</summary>
internal sealed class CredentialChecker : ICredentialChecker
{
    private readonly CredentialResolver _resolver;
    private readonly SecretCache _cache;

    public CredentialChecker(CredentialResolver resolver, SecretCache cache)
    {
        _resolver = resolver;
        _cache = cache;
    }

    public async Task<IReadOnlyList<CredentialCheckResult>> CheckVaultAsync(string vault, CancellationToken cancellationToken)
    {
        if (!_resolver.Bindings.ByVault.TryGetValue(vault, out var bindings))
        {
            return [];
        }

        var checks = bindings.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => CheckAsync(b, cancellationToken));
        return await Task.WhenAll(checks).ConfigureAwait(false);
    }

    private async Task<CredentialCheckResult> CheckAsync(CredentialBinding binding, CancellationToken cancellationToken)
    {
        if (binding.Reference is null)
        {
            return new CredentialCheckResult(binding.Key, false, binding.Error);
        }

        try
        {
            _ = await _cache.ReadUncachedAsync(binding.Reference, cancellationToken).ConfigureAwait(false);
            return new CredentialCheckResult(binding.Key, true, null);
        }
        catch (SecretStoreException ex)
        {
            return new CredentialCheckResult(binding.Key, false, $"store '{binding.Reference.Store}': {ex.Message}");
        }
    }
}
