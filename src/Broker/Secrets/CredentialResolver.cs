using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// Resolves a vault's credential key: a lookup in the current bindings snapshot, then the cache. Every failure becomes a
/// <see cref="CredentialUnavailableException"/> naming vault, key and store (never a value).
/// </summary>
internal sealed class CredentialResolver : ICredentialResolver, IReferenceResolver, IDisposable
{
    private readonly SecretCache _cache;
    private readonly IConfigStateProvider? _state;
    private readonly Lock _applyLock = new();
    private volatile CredentialBindings _bindings = CredentialBindings.Empty;
    private long _appliedVersion = -1;

    public CredentialResolver(SecretCache cache, IServiceProvider services)
    {
        _cache = cache;
        _state = services.GetService<IConfigStateProvider>();
        if (_state is not null)
        {
            _state.Changed += OnConfigChanged;
            OnConfigChanged(_state.Current);
        }
    }

    public CredentialBindings Bindings => _bindings;

    public ValueTask<string> ResolveAsync(string vault, string key, CancellationToken cancellationToken)
    {
        if (!_bindings.ByKey.TryGetValue((vault, key), out var binding))
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
        var policy = _bindings.PolicyFor(reference.Store, _cache.Options);
        try
        {
            return await _cache.GetAsync(new CacheKey(reference.Store, reference.CacheKey), reference, policy, cancellationToken).ConfigureAwait(false);
        }
        catch (SecretStoreException ex)
        {
            throw new CredentialUnavailableException(string.Empty, reference.ToString(), reference.Store, ex.Category, $"store '{reference.Store}': {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        if (_state is not null)
        {
            _state.Changed -= OnConfigChanged;
        }
    }

    /// <summary>Rebuilds the bindings from a configuration (also used by tests that have no state provider).</summary>
    public void Apply(ConfigDocument config) => _bindings = CredentialBindings.Build(config, _cache.Options);

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

    private void OnConfigChanged(ConfigState state)
    {
        lock (_applyLock)
        {
            if (state.Version >= _appliedVersion)
            {
                _appliedVersion = state.Version;
                Apply(state.Config);
            }
        }
    }
}
