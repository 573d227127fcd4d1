using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Catalog;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Proposals;

/// <summary>
/// Checks a proposal when it is made, with the same validation a configuration write gets, so a proposal a person approves
/// can be applied. Error paths are relative to the request body (<c>services[0].host</c>, <c>credentials.STRIPE_KEY</c>).
/// </summary>
internal static class ProposalChecks
{
    /// <summary>Checks the body's own shape and turns it into changes (catalog templates expanded); adds what is wrong to <paramref name="errors"/>.</summary>
    public static ProposalChanges Check(ProposalBody body, VaultDefinition vault, ConfigDocument config, List<ValidationError> errors)
    {
        var message = body.Message?.Trim();
        if (string.IsNullOrEmpty(message))
        {
            errors.Add(new("message", "say why the agent needs this (a person reads it before approving)"));
        }
        else if (message.Length > ProposalLimits.MaxMessageLength)
        {
            errors.Add(new("message", $"at most {ProposalLimits.MaxMessageLength} characters"));
        }
        else if (!IsPlainText(message))
        {
            errors.Add(new("message", "control characters (other than line breaks and tabs) and bidirectional overrides are not allowed"));
        }

        var services = new List<ServiceDefinition>();
        var templateKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        var bodyServices = body.Services ?? [];
        if (bodyServices.Count > ProposalLimits.MaxServices)
        {
            errors.Add(new("services", $"at most {ProposalLimits.MaxServices} services per proposal"));
        }

        for (var i = 0; i < bodyServices.Count && i < ProposalLimits.MaxServices; i++)
        {
            var path = $"services[{i}]";
            if (bodyServices[i] is not { } entry)
            {
                errors.Add(new(path, "an entry must not be null"));
                continue;
            }

            if (entry.ContainsKey("catalog"))
            {
                FromCatalog(entry, path, vault, services, templateKeys, errors);
                continue;
            }

            try
            {
                services.Add(entry.Deserialize<ServiceDefinition>(ModelJson.Options) ?? throw new JsonException("null"));
            }
            catch (JsonException ex)
            {
                errors.Add(new(path, $"not a service in the configuration file's shape ({ex.Message.Split('.')[0]})"));
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < services.Count; i++)
        {
            if (!names.Add(services[i].Name))
            {
                errors.Add(new($"services[{i}].name", $"service '{services[i].Name}' is proposed twice"));
            }
            else if (vault.Services?.Exists(s => s.Name == services[i].Name) == true)
            {
                errors.Add(new($"services[{i}].name", $"vault '{vault.Name}' already has a service '{services[i].Name}'; a proposal adds services (choose another name)"));
            }
        }

        var credentials = new Dictionary<string, ProposalCredential>(StringComparer.Ordinal);
        var bodyCredentials = body.Credentials ?? [];
        if (bodyCredentials.Count > ProposalLimits.MaxCredentials)
        {
            errors.Add(new("credentials", $"at most {ProposalLimits.MaxCredentials} credentials per proposal"));
        }

        var stores = new HashSet<string>((config.Stores ?? []).Select(s => s.Name), StringComparer.Ordinal);
        foreach (var (key, credential) in bodyCredentials.Take(ProposalLimits.MaxCredentials))
        {
            var path = "credentials." + key;
            if (credential is null || (credential.Ref is null) == (credential.Description is null))
            {
                errors.Add(new(path, "give either ref (store:path) or description (what a person should point it at), not both"));
                continue;
            }

            if (vault.Credentials?.ContainsKey(key) == true)
            {
                errors.Add(new(path, $"vault '{vault.Name}' already has credential {key}; leave it out to use it"));
                continue;
            }

            if (credential.Ref is { } reference)
            {
                ConfigValidator.ValidateCredential(key, new CredentialDefinition { Ref = reference }, path, stores.Contains, errors);
            }
            else if (!NameRules.IsCredentialKey(key))
            {
                errors.Add(new(path, $"credential key must be {NameRules.KeyHint}"));
            }
            else if (credential.Description!.Trim().Length is 0 or > ProposalLimits.MaxDescriptionLength)
            {
                errors.Add(new(path + ".description", $"1 to {ProposalLimits.MaxDescriptionLength} characters"));
            }
            else if (!IsPlainText(credential.Description))
            {
                errors.Add(new(path + ".description", "control characters (other than line breaks and tabs) and bidirectional overrides are not allowed"));
            }

            credentials[key] = credential.Description is null ? credential : credential with { Description = credential.Description.Trim() };
        }

        // A template's keys the agent did not mention and the vault lacks: a person names them on approval.
        foreach (var (key, description) in templateKeys)
        {
            if (!credentials.ContainsKey(key) && vault.Credentials?.ContainsKey(key) != true)
            {
                credentials[key] = new ProposalCredential { Description = description };
            }
        }

        if (services.Count == 0 && credentials.Count == 0 && errors.Count == 0)
        {
            errors.Add(new("services", "propose at least one service or credential"));
        }

        return new ProposalChanges { Services = services, Credentials = credentials };
    }

    /// <summary>
    /// Text a person reads in a terminal or a page: no control characters but line breaks and tabs (an escape sequence can
    /// hide a warning in a terminal) and no bidirectional overrides (which reorder what is shown).
    /// </summary>
    public static bool IsPlainText(string text) => !text.Any(c => IsHidden(c) && c is not ('\n' or '\t'));

    /// <summary>A control character or a bidirectional override: what can change how the text around it is displayed.</summary>
    public static bool IsHidden(char c) => char.IsControl(c) || c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>Expands <c>{ "catalog": ID, … }</c> into its services and remembers the keys they need with the template's descriptions.</summary>
    private static void FromCatalog(JsonObject entry, string path, VaultDefinition vault, List<ServiceDefinition> services, Dictionary<string, string> templateKeys, List<ValidationError> errors)
    {
        try
        {
            var named = entry.Deserialize<CatalogEntry>(ModelJson.Options) ?? throw new JsonException("null");
            var expansion = ServiceCatalog.Default.Expand(named, (vault.Credentials ?? []).Keys.ToHashSet(StringComparer.Ordinal));
            services.AddRange(expansion.Services);
            foreach (var credential in expansion.Credentials.Where(c => c.Optional != true))
            {
                templateKeys.TryAdd(credential.Key, $"{credential.Description} (template {named.Catalog})");
            }
        }
        catch (JsonException ex)
        {
            errors.Add(new(path, $"not a catalog entry {{ catalog, name?, preset?, parameters?, hosts?, keys? }} ({ex.Message.Split('.')[0]})"));
        }
        catch (CatalogException ex)
        {
            errors.Add(new(path, ex.Message));
        }
    }

    /// <summary>Validates each proposed service as a configuration write would, against the vault with the proposed credentials added.</summary>
    public static void CheckServices(ProposalChanges changes, VaultDefinition vault, List<ValidationError> errors, ConfigValidator validator)
    {
        var keys = new Dictionary<string, CredentialDefinition>(vault.Credentials ?? [], StringComparer.Ordinal);
        foreach (var (key, credential) in changes.Credentials)
        {
            keys[key] = new CredentialDefinition { Ref = credential.Ref ?? "proposal:" + key };
        }

        var withProposed = vault with { Credentials = keys };
        for (var i = 0; i < changes.Services.Count; i++)
        {
            validator.ValidateService(changes.Services[i], $"services[{i}]", withProposed, errors);
        }
    }
}
