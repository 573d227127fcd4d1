using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Routing;

namespace AgentVault.Broker.Management;

/// <summary>Validates one service of a vault: name, host pattern, auth scheme and its credential keys, substitutions, rules, limits.</summary>
internal static class ServiceValidator
{
    private static readonly HashSet<string> Surfaces = new(StringComparer.Ordinal) { "path", "query", "header", "body", "websocket" };

    public static void Validate(ServiceDefinition service, string path, VaultDefinition vault, IReadOnlyDictionary<string, IAuthSchemeFactory> schemes, List<ValidationError> errors)
    {
        if (!NameRules.IsName(service.Name))
        {
            errors.Add(new(path + ".name", $"service name must be {NameRules.NameHint}"));
        }

        if (!HostPattern.TryParse(service.Host, out _, out var hostError))
        {
            errors.Add(new(path + ".host", hostError));
        }

        ValidateAuth(service.Auth, path + ".auth", vault, schemes, errors);
        for (var i = 0; i < (service.Substitutions?.Count ?? 0); i++)
        {
            ValidateSubstitution(service.Substitutions![i], $"{path}.substitutions[{i}]", vault, errors);
        }

        ValidateRules(service.Rules?.Allow, path + ".rules.allow", errors);
        ValidateRules(service.Rules?.Deny, path + ".rules.deny", errors);
        ValidateRules(service.Rules?.Approve, path + ".rules.approve", errors);
        if (!ApprovalTimeout.IsValid(service.ApprovalTimeout))
        {
            errors.Add(new(path + ".approval_timeout", ApprovalTimeout.Hint));
        }

        if (service.RateLimit is not null && !RateLimitSyntax.IsValid(service.RateLimit))
        {
            errors.Add(new(path + ".rate_limit", RateLimitSyntax.Hint));
        }

        if (service.Redact is not null and not ("off" or "on" or "strict"))
        {
            errors.Add(new(path + ".redact", "redact must be off, on or strict"));
        }
    }

    private static void ValidateAuth(JsonObject? auth, string path, VaultDefinition vault, IReadOnlyDictionary<string, IAuthSchemeFactory> schemes, List<ValidationError> errors)
    {
        var type = SecretSettingScanner.AsString(auth?["type"]);
        if (auth is null || string.IsNullOrWhiteSpace(type))
        {
            errors.Add(new(path + ".type", $"auth.type is required; known schemes: {string.Join(", ", schemes.Keys.Order(StringComparer.Ordinal))}"));
            return;
        }

        if (!schemes.TryGetValue(type, out var factory))
        {
            errors.Add(new(path + ".type", $"unknown auth scheme '{type}'; known schemes: {string.Join(", ", schemes.Keys.Order(StringComparer.Ordinal))}"));
            return;
        }

        var settings = new JsonObject(auth.Where(p => p.Key != "type").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var validation = new SettingsValidation();
        try
        {
            factory.Validate(new PluginSettings(settings), validation);
        }
        catch (Exception ex)
        {
            validation.Add(string.Empty, $"the '{type}' scheme failed to check its settings ({ex.GetType().Name})");
        }

        foreach (var problem in validation.Problems)
        {
            errors.Add(new(problem.Path.Length == 0 ? path : $"{path}.{problem.Path}", problem.Message));
        }

        var plugin = new PluginSettings(settings);
        foreach (var setting in factory.CredentialSettings)
        {
            var node = plugin.Find(setting);
            var keys = node is JsonArray array ? array.Select(SecretSettingScanner.AsString).ToList() : node is null ? [] : [SecretSettingScanner.AsString(node)];
            foreach (var key in keys)
            {
                if (!NameRules.IsCredentialKey(key))
                {
                    // A raw secret pasted here must not be echoed back.
                    errors.Add(new($"{path}.{setting}", $"'{setting}' must name a credential key of vault '{vault.Name}' ({NameRules.KeyHint}), not hold a value"));
                }
                else if (vault.Credentials?.ContainsKey(key!) != true)
                {
                    errors.Add(new($"{path}.{setting}", $"credential '{key}' is not defined in vault '{vault.Name}'"));
                }
            }
        }

        // Keys inside templates (the custom scheme's headers) are not plain settings: the scheme lists them (Auth/IAuthSchemeKeys).
        if (factory is Auth.IAuthSchemeKeys templated && factory.CredentialSettings.Count == 0)
        {
            foreach (var key in templated.GetCredentialKeys(plugin).Where(k => vault.Credentials?.ContainsKey(k) != true))
            {
                errors.Add(new($"{path}.headers", $"credential '{key}' is not defined in vault '{vault.Name}'"));
            }
        }
    }

    private static void ValidateSubstitution(SubstitutionDefinition substitution, string path, VaultDefinition vault, List<ValidationError> errors)
    {
        if (!NameRules.IsCredentialKey(substitution.Key))
        {
            errors.Add(new(path + ".key", $"key must name a credential key of vault '{vault.Name}' ({NameRules.KeyHint})"));
        }
        else if (vault.Credentials?.ContainsKey(substitution.Key) != true)
        {
            errors.Add(new(path + ".key", $"credential '{substitution.Key}' is not defined in vault '{vault.Name}'"));
        }

        var placeholder = substitution.Placeholder;
        if (placeholder is null || placeholder.Length is < 4 or > 128 || !placeholder.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            errors.Add(new(path + ".placeholder", "placeholder must be 4 to 128 characters of letters, digits, '_', '.' and '-'"));
        }

        if (substitution.In is { } surfaces)
        {
            if (surfaces.Count == 0)
            {
                errors.Add(new(path + ".in", "in must name at least one of path, query, header, body, websocket (or be left out for path and query)"));
            }

            foreach (var surface in surfaces.Where(s => s is null || !Surfaces.Contains(s)))
            {
                errors.Add(new(path + ".in", $"'{surface}' is not a substitution surface; use path, query, header, body or websocket"));
            }
        }
    }

    private static void ValidateRules(List<string>? rules, string path, List<ValidationError> errors)
    {
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            if (!RuleSyntax.IsValid(rules![i], out var problem))
            {
                errors.Add(new($"{path}[{i}]", problem));
            }
        }
    }
}
