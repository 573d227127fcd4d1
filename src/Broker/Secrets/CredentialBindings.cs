using System.Collections.Frozen;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Secrets;

/// <summary>An immutable snapshot of every vault credential and store cache policy, rebuilt on each configuration change.</summary>
internal sealed class CredentialBindings
{
    public static CredentialBindings Empty { get; } = new(
        FrozenDictionary<(string, string), CredentialBinding>.Empty,
        FrozenDictionary<string, IReadOnlyList<CredentialBinding>>.Empty,
        FrozenDictionary<string, CachePolicy>.Empty);

    private CredentialBindings(
        FrozenDictionary<(string, string), CredentialBinding> byKey,
        FrozenDictionary<string, IReadOnlyList<CredentialBinding>> byVault,
        FrozenDictionary<string, CachePolicy> storePolicies)
    {
        ByKey = byKey;
        ByVault = byVault;
        StorePolicies = storePolicies;
    }

    public FrozenDictionary<(string Vault, string Key), CredentialBinding> ByKey { get; }

    public FrozenDictionary<string, IReadOnlyList<CredentialBinding>> ByVault { get; }

    public FrozenDictionary<string, CachePolicy> StorePolicies { get; }

    public static CredentialBindings Build(ConfigDocument config, SecretCacheOptions options)
    {
        var policies = new Dictionary<string, CachePolicy>(StringComparer.Ordinal);
        foreach (var store in config.Stores ?? [])
        {
            var ttl = Durations.TryParse(store.Cache?.Ttl, out var t) ? t : options.DefaultTtl;
            var maxStale = Durations.TryParse(store.Cache?.MaxStale, out var m) ? m : options.DefaultMaxStale;
            policies.TryAdd(store.Name, new CachePolicy(ttl, maxStale, null));
        }

        var byKey = new Dictionary<(string, string), CredentialBinding>();
        var byVault = new Dictionary<string, IReadOnlyList<CredentialBinding>>(StringComparer.Ordinal);
        foreach (var vault in config.Vaults ?? [])
        {
            var list = new List<CredentialBinding>();
            foreach (var (key, definition) in vault.Credentials ?? [])
            {
                var binding = Bind(vault.Name, key, definition, policies, options);
                byKey.TryAdd((vault.Name, key), binding);
                list.Add(binding);
            }

            byVault.TryAdd(vault.Name, list);
        }

        return new CredentialBindings(byKey.ToFrozenDictionary(), byVault.ToFrozenDictionary(StringComparer.Ordinal), policies.ToFrozenDictionary(StringComparer.Ordinal));
    }

    public CachePolicy PolicyFor(string store, SecretCacheOptions options) =>
        StorePolicies.TryGetValue(store, out var policy) ? policy : new CachePolicy(options.DefaultTtl, options.DefaultMaxStale, null);

    private static CredentialBinding Bind(string vault, string key, CredentialDefinition definition, Dictionary<string, CachePolicy> policies, SecretCacheOptions options)
    {
        if (!CredentialReference.TryParse(definition.Ref, out var reference, out var error))
        {
            return new CredentialBinding(vault, key, null, default, default, $"invalid reference: {error}");
        }

        var policy = policies.TryGetValue(reference.Store, out var p) ? p : new CachePolicy(options.DefaultTtl, options.DefaultMaxStale, null);
        if (definition.Ttl is not null)
        {
            if (!Durations.TryParse(definition.Ttl, out var own))
            {
                return new CredentialBinding(vault, key, null, default, default, $"invalid ttl '{definition.Ttl}'");
            }

            policy = policy with { CredentialTtl = own };
        }

        return new CredentialBinding(vault, key, reference, new CacheKey(reference.Store, reference.CacheKey), policy, null);
    }
}
