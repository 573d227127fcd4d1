using System.Diagnostics;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Telemetry;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// Resolves a vault's credential key: a lookup in the bindings of the published runtime snapshot, then the cache. It keeps
/// no copy of its own and subscribes to nothing: the snapshot publisher compiles the bindings with the rest of a change.
/// Every failure becomes a <see cref="CredentialUnavailableException"/> naming vault, key and store (never a value).
/// </summary>
internal sealed class CredentialResolver : ICredentialResolver, IReferenceResolver
{
    private readonly SecretCache _cache;
    private readonly ICredentialBindingsSource _source;

    public CredentialResolver(SecretCache cache, ICredentialBindingsSource source)
    {
        _cache = cache;
        _source = source;
    }

    /// <summary>The bindings of the current snapshot.</summary>
    public CredentialBindings Bindings => _source.Bindings;

    public ValueTask<string> ResolveAsync(string vault, string key, CancellationToken cancellationToken) =>
        ResolveAsync(_source.Bindings, vault, key, cancellationToken);

    /// <summary>
    /// Resolves against the given bindings: a request that holds a snapshot passes that snapshot's, so its routes and
    /// credentials come from one version. Within a traced request it is a <c>credential.resolve</c> span.
    /// </summary>
    public ValueTask<string> ResolveAsync(CredentialBindings bindings, string vault, string key, CancellationToken cancellationToken) =>
        !BrokerTracing.InRequest
            ? ResolveCoreAsync(bindings, vault, key, cancellationToken)
            : TracedAsync(bindings, vault, key, cancellationToken);

    // The span starts inside this async method, so it is the current span of the resolution (a store.fetch nests in it)
    // and stops being current when the resolution returns.
    private async ValueTask<string> TracedAsync(CredentialBindings bindings, string vault, string key, CancellationToken cancellationToken)
    {
        using var span = BrokerTracing.StartStep(BrokerTracing.ResolveSpan);
        span?.SetTag(BrokerTracing.Vault, vault);
        span?.SetTag(BrokerTracing.CredentialKey, key);
        if (bindings.ByKey.TryGetValue((vault, key), out var binding) && binding.Reference is { } reference)
        {
            span?.SetTag(BrokerTracing.Store, reference.Store);
        }

        try
        {
            return await ResolveCoreAsync(bindings, vault, key, cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException ex)
        {
            span?.SetTag(BrokerTracing.ErrorType, ex.Category.ToString());
            span?.SetStatus(ActivityStatusCode.Error, "credential_unavailable");
            throw;
        }
    }

    private ValueTask<string> ResolveCoreAsync(CredentialBindings bindings, string vault, string key, CancellationToken cancellationToken)
    {
        if (!bindings.ByKey.TryGetValue((vault, key), out var binding))
        {
            throw new CredentialUnavailableException(vault, key, null, SecretErrorCategory.NotFound, $"vault '{vault}' has no credential '{key}'");
        }

        if (binding.Reference is null)
        {
            throw new CredentialUnavailableException(vault, key, null, SecretErrorCategory.InvalidConfiguration, $"credential '{key}' of vault '{vault}' is misconfigured: {binding.Error}");
        }

        ValueTask<string> pending;
        try
        {
            pending = _cache.GetAsync(binding.CacheKey, binding.Reference, binding.Policy, cancellationToken);
        }
        catch (SecretStoreException ex)
        {
            throw Unavailable(binding, ex);
        }

        return pending.IsCompletedSuccessfully ? pending : AwaitAsync(pending, binding);
    }

    public async ValueTask<string> ResolveReferenceAsync(CredentialReference reference, CancellationToken cancellationToken)
    {
        var policy = _source.Bindings.PolicyFor(reference.Store, _cache.Options);
        try
        {
            return await _cache.GetAsync(new CacheKey(reference.Store, reference.CacheKey), reference, policy, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretStoreException ex)
        {
            throw new CredentialUnavailableException(string.Empty, reference.ToString(), reference.Store, ex.Category, $"store '{reference.Store}': {ex.Message}", ex);
        }
    }

    internal static CredentialUnavailableException Unavailable(CredentialBinding binding, SecretStoreException ex) =>
        new(binding.Vault, binding.Key, binding.Reference?.Store, ex.Category,
            $"credential '{binding.Key}' of vault '{binding.Vault}' is unavailable: store '{binding.Reference?.Store}': {ex.Message}", ex);

    private static async ValueTask<string> AwaitAsync(ValueTask<string> pending, CredentialBinding binding)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (SecretStoreException ex)
        {
            throw Unavailable(binding, ex);
        }
    }
}
