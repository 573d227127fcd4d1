using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Proposals;

/// <summary>
/// Compares a proposal with the configuration as it is now. The warning that matters most: a service that would send a
/// secret the broker already holds to a host it has never been sent to (an agent proposing
/// <c>{ host: collector.example, auth: { type: bearer, token: GITHUB_TOKEN } }</c> asks for the token to be exfiltrated).
/// Secrets are compared by reference (<c>store:path#field</c>) across every vault, so neither a new key name for the same
/// secret nor another vault's secret escapes the warning; disabled services reach nothing.
/// </summary>
internal static class ProposalReviewer
{
    public static ProposalReview Review(ProposalChanges changes, ConfigDocument config, string vaultName, IReadOnlyDictionary<string, IAuthSchemeFactory> schemes)
    {
        var vault = config.Vaults?.Find(v => v.Name == vaultName);
        var lines = new List<string>();
        var warnings = new List<ProposalWarning>();
        var existing = vault?.Credentials ?? [];

        // Where each secret (by reference) is sent today, as host patterns, over every vault's enabled services.
        var reached = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var v in config.Vaults ?? [])
        {
            foreach (var (key, credential) in v.Credentials ?? [])
            {
                (users.TryGetValue(credential.Ref, out var list) ? list : users[credential.Ref] = []).Add($"{key} of vault {v.Name}");
            }

            foreach (var service in (v.Services ?? []).Where(s => s.Enabled != false))
            {
                foreach (var key in KeysOf(service, schemes))
                {
                    if (v.Credentials?.GetValueOrDefault(key) is { } credential)
                    {
                        (reached.TryGetValue(credential.Ref, out var hosts) ? hosts : reached[credential.Ref] = new(StringComparer.OrdinalIgnoreCase)).Add(service.Host.ToLowerInvariant());
                    }
                }
            }
        }

        foreach (var (key, credential) in changes.Credentials)
        {
            if (credential.Ref is { } reference && users.TryGetValue(reference, out var holders))
            {
                warnings.Add(new(ProposalWarning.ExistingSecret,
                    $"new credential {key} names {reference}, a secret already used as {string.Join(", ", holders)}", key));
            }
        }

        foreach (var service in changes.Services)
        {
            var type = service.Auth?["type"] is JsonValue value && value.TryGetValue<string>(out var t) ? t : "none";
            var keys = KeysOf(service, schemes);
            lines.Add($"add service {service.Name}: {service.Host}, auth {type}{(keys.Count == 0 ? string.Empty : " with " + string.Join(", ", keys))}" + Settings(service));
            var host = HostOf(service.Host);
            if (host.StartsWith('*'))
            {
                warnings.Add(new(ProposalWarning.WildcardHost, $"service {service.Name} matches every host under {host[1..].TrimStart('.')}", Host: service.Host));
            }

            if (service.Redact == "off")
            {
                warnings.Add(new(ProposalWarning.RedactionOff, $"service {service.Name} turns redaction off: a credential the upstream echoes back reaches the agent", Host: service.Host));
            }

            if (service.AllowHttp == true)
            {
                warnings.Add(new(ProposalWarning.PlainHttp, $"service {service.Name} may send credentials over plain HTTP (allow_http: true)", Host: service.Host));
            }

            foreach (var other in (vault?.Services ?? []).Where(s => string.Equals(HostOf(s.Host), host, StringComparison.OrdinalIgnoreCase)))
            {
                warnings.Add(new(ProposalWarning.ShadowsService,
                    $"service {service.Name} ({service.Host}) shares its host with existing service {other.Name} ({other.Host}{Settings(other)}): requests it matches more closely " +
                    $"would no longer get {other.Name}'s rules, limits and redaction", Host: service.Host));
            }

            foreach (var substitution in (service.Substitutions ?? []).Where(s => s.In?.Any(surface => surface is "body" or "header" or "websocket") == true))
            {
                warnings.Add(new(ProposalWarning.SubstitutionIntoContent,
                    $"service {service.Name} puts credential {substitution.Key} into content the agent writes ({string.Join("/", substitution.In!)}): an upstream that stores it can show it back", substitution.Key, service.Host));
            }

            foreach (var key in keys)
            {
                var reference = existing.GetValueOrDefault(key)?.Ref ?? changes.Credentials.GetValueOrDefault(key)?.Ref;
                if (reference is null || !users.ContainsKey(reference))
                {
                    continue;
                }

                var before = reached.TryGetValue(reference, out var patterns) ? patterns : [];
                if (!Covers(before, service.Host))
                {
                    var was = before.Count == 0 ? "no host today" : "only " + string.Join(", ", before.Order(StringComparer.Ordinal)) + " today";
                    warnings.Add(new(ProposalWarning.CredentialReachesNewHost,
                        $"existing credential {key} (sent to {was}) would also be sent to {service.Host.ToLowerInvariant()}", key, host));
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

    /// <summary>
    /// True when a secret sent to <paramref name="patterns"/> already reaches everything <paramref name="pattern"/> matches:
    /// the same pattern, or a pattern for the whole host (no path) that the new one narrows.
    /// </summary>
    private static bool Covers(HashSet<string> patterns, string pattern)
    {
        var lowered = pattern.ToLowerInvariant();
        return patterns.Contains(lowered) || patterns.Contains(HostOf(lowered));
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

        if (service.ApprovalTimeout is { } approvalTimeout)
        {
            parts.Add("approval timeout " + approvalTimeout);
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
        string.Join("; ", new[] { ("allow", rules.Allow), ("deny", rules.Deny), ("approve", rules.Approve) }.Where(r => r.Item2 is { Count: > 0 }).Select(r => $"{r.Item1} {string.Join(", ", r.Item2!)}"));
}
