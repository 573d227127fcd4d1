using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Proposals;

/// <summary>
/// Compares a proposal with its vault as it is now. The warning that matters most: a service that would send a credential
/// the vault already holds to a host that credential has never been sent to (an agent proposing
/// <c>{ host: collector.example, auth: { type: bearer, token: GITHUB_TOKEN } }</c> asks for the token to be exfiltrated).
/// </summary>
internal static class ProposalReviewer
{
    public static ProposalReview Review(ProposalChanges changes, VaultDefinition? vault, IReadOnlyDictionary<string, IAuthSchemeFactory> schemes)
    {
        var lines = new List<string>();
        var warnings = new List<ProposalWarning>();
        var existing = vault?.Credentials ?? [];
        var reached = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var service in vault?.Services ?? [])
        {
            foreach (var key in KeysOf(service, schemes))
            {
                (reached.TryGetValue(key, out var hosts) ? hosts : reached[key] = new(StringComparer.OrdinalIgnoreCase)).Add(HostOf(service.Host));
            }
        }

        foreach (var service in changes.Services)
        {
            var type = service.Auth?["type"] is JsonValue value && value.TryGetValue<string>(out var t) ? t : "none";
            var keys = KeysOf(service, schemes);
            lines.Add($"add service {service.Name}: {service.Host}, auth {type}{(keys.Count == 0 ? string.Empty : " with " + string.Join(", ", keys))}" + Settings(service));
            if (service.Redact == "off")
            {
                warnings.Add(new(ProposalWarning.RedactionOff, $"service {service.Name} turns redaction off: a credential the upstream echoes back reaches the agent", Host: service.Host));
            }

            if (service.AllowHttp == true)
            {
                warnings.Add(new(ProposalWarning.PlainHttp, $"service {service.Name} may send credentials over plain HTTP (allow_http: true)", Host: service.Host));
            }

            var host = HostOf(service.Host);
            if (host.StartsWith('*'))
            {
                warnings.Add(new(ProposalWarning.WildcardHost, $"service {service.Name} matches every host under {host[1..].TrimStart('.')}", Host: service.Host));
            }

            foreach (var key in keys.Where(existing.ContainsKey))
            {
                var before = reached.TryGetValue(key, out var hosts) ? hosts : [];
                if (!before.Contains(host))
                {
                    var was = before.Count == 0 ? "no host today" : "only " + string.Join(", ", before.Order(StringComparer.Ordinal)) + " today";
                    warnings.Add(new(ProposalWarning.CredentialReachesNewHost,
                        $"existing credential {key} (sent to {was}) would also be sent to {host}", key, host));
                }
            }
        }

        var missing = new List<string>();
        foreach (var (key, credential) in changes.Credentials.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (credential.Ref is { } reference)
            {
                lines.Add($"add credential {key} = {reference}");
            }
            else
            {
                lines.Add($"add credential {key}: a person names its reference on approval ({credential.Description})");
                missing.Add(key);
            }
        }

        return new ProposalReview(lines, warnings, missing);
    }

    /// <summary>The credential keys a service uses: its auth scheme's and its substitutions'.</summary>
    public static IReadOnlyList<string> KeysOf(ServiceDefinition service, IReadOnlyDictionary<string, IAuthSchemeFactory> schemes)
    {
        var keys = new List<string>();
        if (service.Auth is { } auth && auth["type"] is JsonValue type && type.TryGetValue<string>(out var name) && schemes.TryGetValue(name, out var factory))
        {
            var settings = new JsonObject(auth.Where(p => p.Key != "type").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
            try
            {
                keys.AddRange(AuthSchemeKeys.Collect(factory, new PluginSettings(settings)));
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
            {
                // A malformed setting names no key here; validation reports it.
            }
        }

        foreach (var substitution in service.Substitutions ?? [])
        {
            if (substitution.Key is { } key && !keys.Contains(key, StringComparer.Ordinal))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    /// <summary>The host (and port) of a service's host pattern, without its path glob.</summary>
    private static string HostOf(string pattern)
    {
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        return (slash < 0 ? pattern : pattern[..slash]).ToLowerInvariant();
    }

    /// <summary>Every other setting that changes what the service does, so the review hides nothing of it.</summary>
    private static string Settings(ServiceDefinition service)
    {
        var parts = new List<string>();
        if (service.Rules is { } rules && Describe(rules) is { Length: > 0 } described)
        {
            parts.Add("rules: " + described);
        }

        if (service.Substitutions is { Count: > 0 } substitutions)
        {
            parts.Add("substitutions: " + string.Join(", ", substitutions.Select(s => $"{s.Placeholder} → {s.Key} in {string.Join("/", s.In ?? ["path", "query"])}")));
        }

        if (service.RateLimit is { } rate)
        {
            parts.Add("rate limit " + rate);
        }

        if (service.Redact is { } redact)
        {
            parts.Add("redact " + redact);
        }

        if (service.AllowHttp == true)
        {
            parts.Add("allow_http");
        }

        if (service.Enabled == false)
        {
            parts.Add("disabled");
        }

        return parts.Count == 0 ? string.Empty : "; " + string.Join("; ", parts);
    }

    private static string Describe(RulesDefinition rules) =>
        string.Join("; ", new[] { ("allow", rules.Allow), ("deny", rules.Deny) }.Where(r => r.Item2 is { Count: > 0 }).Select(r => $"{r.Item1} {string.Join(", ", r.Item2!)}"));
}
