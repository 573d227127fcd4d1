using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using AgentVault.Broker.Routing;

namespace AgentVault.Broker.Catalog;

/// <summary>
/// Turns a template into services: host parameters filled in, host overrides applied, credential keys renamed, unused
/// optional keys left out and the chosen preset's rules set. Every problem is a <see cref="CatalogException"/> naming it.
/// </summary>
internal static partial class CatalogExpander
{
    public static CatalogExpansion Expand(CatalogTemplate template, CatalogExpandOptions? options = null)
    {
        options ??= new CatalogExpandOptions();
        var preset = FindPreset(template, options.Preset);
        var parameters = ResolveParameters(template, options.Parameters);
        var keys = ResolveKeys(template, options.Keys);
        var dropped = template.Credentials
            .Where(c => c.Optional == true && options.OptionalKeys?.Contains(c.Key) != true)
            .Select(c => c.Key)
            .ToHashSet(StringComparer.Ordinal);
        var hosts = ResolveHostOverrides(template, options.Hosts);

        var services = template.Services.Select(service => service with
        {
            Name = Rename(template, service.Name, options.Name),
            Host = CheckHost(service.Name, hosts.TryGetValue(service.Name, out var host) ? host : FillParameters(service.Host, parameters)),
            Auth = service.Auth is null ? null : (JsonObject)Rewrite(WithoutKeys(service.Auth, dropped), keys, parameters)!,
            Substitutions = service.Substitutions?.Select(s => s with { Key = keys.GetValueOrDefault(s.Key, s.Key) }).ToList(),
            Rules = preset?.RulesFor(service.Name) is { } rules ? rules with { Allow = rules.Allow?.ToList(), Deny = rules.Deny?.ToList() } : service.Rules,
        }).ToList();
        var credentials = template.Credentials
            .Where(c => !dropped.Contains(c.Key))
            .Select(c => c with { Key = keys.GetValueOrDefault(c.Key, c.Key) })
            .ToList();
        return new CatalogExpansion(services, credentials);
    }

    private static string Rename(CatalogTemplate template, string service, string? name)
    {
        if (name is null)
        {
            return service;
        }

        var renamed = template.Services.Count == 1 ? name
            : service == template.Id ? name
            : service.StartsWith(template.Id + "-", StringComparison.Ordinal) ? name + service[template.Id.Length..]
            : $"{name}-{service}";
        return NameRules.IsName(renamed)
            ? renamed
            : throw new CatalogException($"service name '{renamed}' (from '{name}') must be {NameRules.NameHint}");
    }

    private static CatalogPreset? FindPreset(CatalogTemplate template, string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (template.Presets is not null && template.Presets.TryGetValue(name, out var preset))
        {
            return preset;
        }

        var known = template.Presets is { Count: > 0 } ? string.Join(", ", template.Presets.Keys) : "none";
        var why = name == "read-only" && template.NoReadOnly is { } reason ? $" ({reason})" : string.Empty;
        throw new CatalogException($"template '{template.Id}' has no preset '{name}'{why}; its presets: {known}");
    }

    private static Dictionary<string, string> ResolveParameters(CatalogTemplate template, IReadOnlyDictionary<string, string>? given)
    {
        var declared = template.Parameters ?? [];
        foreach (var name in (given ?? new Dictionary<string, string>()).Keys.Where(n => !declared.Exists(p => p.Name == n)))
        {
            var known = declared.Count == 0 ? "it has none" : "its parameters: " + string.Join(", ", declared.Select(p => p.Name));
            throw new CatalogException($"template '{template.Id}' has no parameter '{name}'; {known}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in declared)
        {
            var value = given?.GetValueOrDefault(parameter.Name) ?? parameter.Default
                ?? throw new CatalogException($"template '{template.Id}' needs parameter '{parameter.Name}': {parameter.Description}");
            if (!HostPart().IsMatch(value))
            {
                throw new CatalogException($"parameter '{parameter.Name}' must be a host name part (letters, digits, dots and inner dashes), not '{value}'");
            }

            values[parameter.Name] = value.ToLowerInvariant();
        }

        return values;
    }

    private static Dictionary<string, string> ResolveKeys(CatalogTemplate template, IReadOnlyDictionary<string, string>? renames)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (from, to) in renames ?? new Dictionary<string, string>())
        {
            if (!template.Credentials.Exists(c => c.Key == from))
            {
                throw new CatalogException($"template '{template.Id}' has no credential key '{from}'; its keys: {string.Join(", ", template.Credentials.Select(c => c.Key))}");
            }

            if (!NameRules.IsCredentialKey(to))
            {
                throw new CatalogException($"'{to}' (for {from}) is not a credential key: {NameRules.KeyHint}");
            }

            keys[from] = to;
        }

        return keys;
    }

    private static Dictionary<string, string> ResolveHostOverrides(CatalogTemplate template, IReadOnlyDictionary<string, string>? overrides)
    {
        var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (service, host) in overrides ?? new Dictionary<string, string>())
        {
            var name = service;
            if (name.Length == 0)
            {
                name = template.Services.Count == 1
                    ? template.Services[0].Name
                    : throw new CatalogException($"template '{template.Id}' has several services ({string.Join(", ", template.Services.Select(s => s.Name))}); name the one whose host to change (SERVICE=HOST)");
            }
            else if (!template.Services.Exists(s => s.Name == name))
            {
                throw new CatalogException($"template '{template.Id}' has no service '{name}'; its services: {string.Join(", ", template.Services.Select(s => s.Name))}");
            }

            hosts[name] = host;
        }

        return hosts;
    }

    private static string FillParameters(string host, Dictionary<string, string> parameters) =>
        Parameter().Replace(host, m => parameters.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    private static string CheckHost(string service, string host)
    {
        if (!HostPattern.TryParse(host, out _, out var error))
        {
            throw new CatalogException($"host of service '{service}' ('{host}'): {error}");
        }

        return host;
    }

    private static JsonObject WithoutKeys(JsonObject auth, HashSet<string> keys)
    {
        var copy = (JsonObject)auth.DeepClone();
        foreach (var name in copy.Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out var s) && keys.Contains(s)).Select(p => p.Key).ToList())
        {
            copy.Remove(name);
        }

        return copy;
    }

    /// <summary>
    /// Copies the auth block with keys renamed by value (a setting that names a template key, and <c>{{ KEY }}</c> inside
    /// header templates) and <c>{parameter}</c> filled in literals (a signing region, a GitHub App id).
    /// </summary>
    private static JsonNode? Rewrite(JsonNode? node, Dictionary<string, string> keys, Dictionary<string, string> parameters) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Rewrite(p.Value, keys, parameters)))),
        JsonArray array => new JsonArray(array.Select(item => Rewrite(item, keys, parameters)).ToArray()),
        JsonValue value when value.TryGetValue<string>(out var text) => JsonValue.Create(
            keys.TryGetValue(text, out var renamed)
                ? renamed
                : FillParameters(TemplateKey().Replace(text, m => keys.TryGetValue(m.Groups[1].Value, out var to) ? $"{{{{ {to} }}}}" : m.Value), parameters)),
        _ => node?.DeepClone(),
    };

    [GeneratedRegex(@"\{([a-z][a-z0-9_]*)\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\{\{\s*([A-Z][A-Z0-9_]*)\s*\}\}")]
    private static partial Regex TemplateKey();

    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$")]
    private static partial Regex HostPart();
}
