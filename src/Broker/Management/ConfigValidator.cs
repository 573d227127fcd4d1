using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Management;

/// <summary>
/// Validates a whole configuration document and reports every problem at once, each with a JSON-path-like location.
/// <paramref name="catalog"/> supplies the known store types (secret settings, plugin checks) and auth schemes.
/// </summary>
internal sealed class ConfigValidator(IPluginCatalog catalog)
{
    /// <summary>Validates <paramref name="document"/>; <paramref name="knownStores"/> and <paramref name="knownVaults"/> name resources that exist outside it (an apply file may refer to them).</summary>
    public IReadOnlyList<ValidationError> Validate(ConfigDocument document, IReadOnlySet<string>? knownStores = null, IReadOnlySet<string>? knownVaults = null)
    {
        if (FindNullEntry(document) is { } nullEntry)
        {
            return [new(nullEntry, "an entry must not be null")];
        }

        var errors = new List<ValidationError>();
        var stores = document.Stores ?? [];
        var storeNames = new HashSet<string>(stores.Select(s => s.Name).Where(n => n is not null), StringComparer.Ordinal);
        if (knownStores is not null)
        {
            storeNames.UnionWith(knownStores);
        }

        CheckUnique(stores.Select(s => s.Name), "stores", "store", errors);
        for (var i = 0; i < stores.Count; i++)
        {
            ValidateStore(stores[i], $"stores[{i}]", storeNames.Contains, errors);
        }

        StoreCycleCheck.Check(stores, catalog, errors);

        var vaults = document.Vaults ?? [];
        CheckUnique(vaults.Select(v => v.Name), "vaults", "vault", errors);
        for (var i = 0; i < vaults.Count; i++)
        {
            ValidateVault(vaults[i], $"vaults[{i}]", storeNames.Contains, errors);
        }

        var vaultNames = new HashSet<string>(vaults.Select(v => v.Name).Where(n => n is not null), StringComparer.Ordinal);
        if (knownVaults is not null)
        {
            vaultNames.UnionWith(knownVaults);
        }

        var agents = document.Agents ?? [];
        CheckUnique(agents.Select(a => a.Name), "agents", "agent", errors);
        for (var i = 0; i < agents.Count; i++)
        {
            AgentValidator.Validate(agents[i], $"agents[{i}]", vaultNames.Contains, errors);
        }

        var notifications = document.Notifications ?? [];
        CheckUnique(notifications.Select(n => n.Name), "notifications", "notification", errors);
        for (var i = 0; i < notifications.Count; i++)
        {
            NotificationValidator.Validate(notifications[i], $"notifications[{i}]", storeNames.Contains, errors);
        }

        var access = document.Access ?? [];
        for (var i = 0; i < access.Count; i++)
        {
            AccessRuleValidator.Validate(access[i], $"access[{i}]", errors);
        }

        return errors;
    }

    public void ValidateStore(StoreDefinition store, string path, Func<string, bool> storeExists, List<ValidationError> errors)
    {
        var factory = store.Type is not null && catalog.StoreTypes.TryGetValue(store.Type, out var f) ? f : null;
        StoreValidator.Validate(store, path, factory, storeExists, errors);
    }

    public void ValidateVault(VaultDefinition vault, string path, Func<string, bool> storeExists, List<ValidationError> errors)
    {
        if (!NameRules.IsName(vault.Name))
        {
            errors.Add(new(path + ".name", $"vault name must be {NameRules.NameHint}"));
        }

        if (vault.Unmatched is not null and not ("deny" or "passthrough"))
        {
            errors.Add(new(path + ".unmatched", "unmatched must be deny or passthrough"));
        }

        foreach (var (key, credential) in vault.Credentials ?? [])
        {
            ValidateCredential(key, credential, $"{path}.credentials.{key}", storeExists, errors);
        }

        var services = vault.Services ?? [];
        CheckUnique(services.Select(s => s.Name), path + ".services", "service", errors);
        for (var i = 0; i < services.Count; i++)
        {
            ValidateService(services[i], $"{path}.services[{i}]", vault, errors);
        }
    }

    public void ValidateService(ServiceDefinition service, string path, VaultDefinition vault, List<ValidationError> errors) =>
        ServiceValidator.Validate(service, path, vault, catalog.AuthSchemes, errors);

    public static void ValidateCredential(string key, CredentialDefinition? credential, string path, Func<string, bool> storeExists, List<ValidationError> errors)
    {
        if (!NameRules.IsCredentialKey(key))
        {
            errors.Add(new(path, $"credential key must be {NameRules.KeyHint}"));
        }

        if (credential is null)
        {
            errors.Add(new(path, "credential needs a reference (store:path[#field])"));
            return;
        }

        if (!ReferenceSyntax.TryGetStore(credential.Ref, out var store, out var error))
        {
            errors.Add(new(path, error));
        }
        else if (!storeExists(store))
        {
            errors.Add(new(path, $"store '{store}' is not configured"));
        }

        if (credential.Ttl is not null && !Durations.TryParse(credential.Ttl, out _))
        {
            errors.Add(new(path + ".ttl", "not a duration (use 500ms, 30s, 5m, 1h, 7d or 0)"));
        }
    }

    /// <summary>
    /// The path of the first null entry of a list of objects (a JSON body may say <c>"vaults": [null]</c>), or null. Planning
    /// and validation dereference every entry: it threw NullReferenceException, a 500 (found by the config fuzz target, issue 16).
    /// </summary>
    public static string? FindNullEntry(ConfigDocument document)
    {
        var top = NullIn(document.Stores, "stores") ?? NullIn(document.Vaults, "vaults") ?? NullIn(document.Agents, "agents")
            ?? NullIn(document.Notifications, "notifications") ?? NullIn(document.Access, "access");
        if (top is not null)
        {
            return top;
        }

        for (var v = 0; v < (document.Vaults?.Count ?? 0); v++)
        {
            var services = document.Vaults![v].Services;
            if (NullIn(services, $"vaults[{v}].services") is { } service)
            {
                return service;
            }

            for (var s = 0; s < (services?.Count ?? 0); s++)
            {
                if (NullIn(services![s].Substitutions, $"vaults[{v}].services[{s}].substitutions") is { } substitution)
                {
                    return substitution;
                }
            }
        }

        return null;
    }

    private static string? NullIn<T>(List<T>? items, string path)
        where T : class =>
        items?.FindIndex(item => item is null) is >= 0 and var index ? $"{path}[{index}]" : null;

    private static void CheckUnique(IEnumerable<string?> names, string path, string what, List<ValidationError> errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var index = 0;
        foreach (var name in names)
        {
            if (name is not null && !seen.TryAdd(name, index))
            {
                errors.Add(new($"{path}[{index}].name", $"duplicate {what} name '{name}' (also {path}[{seen[name]}])"));
            }

            index++;
        }
    }
}
