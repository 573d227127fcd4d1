using System.Text.Json;

namespace AgentVault.Broker.WebConsole;

/// <summary>How the vault page describes a service of <c>GET /v1/vaults/{v}/services</c>: its auth, rules and limits in a line each.</summary>
internal static class ServiceSummary
{
    /// <summary>The scheme and the settings that name credential keys or headers, e.g. <c>bearer (token: GITHUB_TOKEN)</c>.</summary>
    public static string Auth(JsonElement service)
    {
        if (!service.TryGetProperty("auth", out var auth) || auth.ValueKind != JsonValueKind.Object)
        {
            return "none";
        }

        var type = PageJson.Text(auth, "type");
        var settings = auth.EnumerateObject()
            .Where(p => p.Name != "type" && p.Value.ValueKind is JsonValueKind.String)
            .Select(p => $"{p.Name}: {p.Value.GetString()}")
            .ToList();
        return settings.Count == 0 ? type : $"{type} ({string.Join(", ", settings)})";
    }

    public static string Rules(JsonElement service)
    {
        if (!service.TryGetProperty("rules", out var rules) || rules.ValueKind != JsonValueKind.Object)
        {
            return "everything allowed";
        }

        var allow = PageJson.Strings(rules, "allow");
        var deny = PageJson.Strings(rules, "deny");
        var parts = new List<string>();
        if (allow.Count > 0)
        {
            parts.Add("allow " + string.Join(", ", allow));
        }

        if (deny.Count > 0)
        {
            parts.Add("deny " + string.Join(", ", deny));
        }

        return parts.Count == 0 ? "everything allowed" : string.Join("; ", parts);
    }

    /// <summary>The service's rate limit (the one limit a service has; agents carry their own).</summary>
    public static string Limits(JsonElement service) => PageJson.Text(service, "rate_limit") is { Length: > 0 } rate ? rate : "none";

    /// <summary><c>enabled</c> defaults to true; only an explicit <c>false</c> disables.</summary>
    public static bool Enabled(JsonElement service) =>
        !(service.TryGetProperty("enabled", out var enabled) && enabled.ValueKind == JsonValueKind.False);
}
