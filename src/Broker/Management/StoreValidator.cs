using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Management;

/// <summary>Validates one store definition: name, cache durations, secret settings given only as references, and the plugin's own checks.</summary>
internal static class StoreValidator
{
    public static void Validate(StoreDefinition store, string path, ISecretStoreFactory? factory, Func<string, bool> storeExists, List<ValidationError> errors)
    {
        if (!NameRules.IsName(store.Name))
        {
            errors.Add(new(path + ".name", $"store name must be {NameRules.NameHint}"));
        }
        else if (NameRules.ReservedStoreNames.Contains(store.Name))
        {
            errors.Add(new(path + ".name", $"'{store.Name}' is reserved (env: and file: references); choose another store name"));
        }

        if (string.IsNullOrWhiteSpace(store.Type))
        {
            errors.Add(new(path + ".type", "store type is required (e.g. file, hashicorp-vault, aws-secrets-manager)"));
        }

        ValidateCache(store.Cache, path + ".cache", errors);

        var settings = store.Settings ?? [];
        var secrets = factory is null ? SecretSettingScanner.ByName(settings) : SecretSettingScanner.Declared(settings, factory.SecretSettings);
        foreach (var (settingPath, value) in secrets)
        {
            var text = SecretSettingScanner.AsString(value);
            if (text is not null && ReferenceSyntax.IsBootstrapReference(text, store.Name ?? string.Empty, storeExists, out _))
            {
                continue;
            }

            // Say which setting and what to write instead; never repeat any part of the value.
            ReferenceSyntax.IsBootstrapReference(text ?? string.Empty, store.Name ?? string.Empty, storeExists, out var problem);
            errors.Add(new(
                $"{path}.settings.{settingPath}",
                $"setting '{settingPath}' holds a secret and must be a reference, not the secret itself: use env:NAME, file:/absolute/path or another configured store (e.g. local:NAME)" +
                (problem is null ? string.Empty : $" ({problem})")));
        }

        if (factory is not null)
        {
            var validation = new SettingsValidation();
            try
            {
                factory.Validate(new PluginSettings(settings), validation);
            }
            catch (Exception ex)
            {
                validation.Add(string.Empty, $"the '{factory.Type}' plugin failed to check its settings ({ex.GetType().Name})");
            }

            foreach (var problem in validation.Problems)
            {
                errors.Add(new(problem.Path.Length == 0 ? path + ".settings" : $"{path}.settings.{problem.Path}", problem.Message));
            }
        }
    }

    public static void ValidateCache(CacheDefinition? cache, string path, List<ValidationError> errors)
    {
        if (cache is null)
        {
            return;
        }

        if (cache.Ttl is not null && !Durations.TryParse(cache.Ttl, out _))
        {
            errors.Add(new(path + ".ttl", "not a duration (use 500ms, 30s, 5m, 1h, 7d or 0)"));
        }

        if (cache.MaxStale is not null && !Durations.TryParse(cache.MaxStale, out _))
        {
            errors.Add(new(path + ".max_stale", "not a duration (use 500ms, 30s, 5m, 1h, 7d or 0)"));
        }
    }
}
