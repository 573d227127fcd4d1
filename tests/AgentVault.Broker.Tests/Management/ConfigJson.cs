using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Management;

/// <summary>A valid configuration document for tests, and edits of it addressed by the validator's own path syntax.</summary>
internal static class ConfigJson
{
    public const string Valid = """
        {
          "stores": [
            { "name": "local", "type": "file" },
            { "name": "hcv", "type": "fake", "settings": { "address": "https://vault.internal:8200", "auth": { "method": "approle", "secret_id": "env:VAULT_SECRET_ID" } }, "cache": { "ttl": "60s", "max_stale": "5m" } }
          ],
          "vaults": [
            {
              "name": "dev",
              "unmatched": "deny",
              "credentials": { "GITHUB_TOKEN": "hcv:secret/data/github#token", "TG_TOKEN": { "ref": "local:telegram", "ttl": "30s" } },
              "services": [
                { "name": "github", "host": "api.github.com", "auth": { "type": "bearer", "token": "GITHUB_TOKEN" }, "rules": { "allow": ["GET /repos/**", "POST /repos/*/*/pulls"], "deny": ["* /admin/**"] }, "rate_limit": "120/min", "redact": "on" },
                { "name": "telegram", "host": "api.telegram.org", "auth": { "type": "passthrough" }, "substitutions": [{ "key": "TG_TOKEN", "placeholder": "__tg_token__", "in": ["path"] }] }
              ]
            }
          ],
          "agents": [ { "name": "claude", "vaults": ["dev"], "can_mint": true } ]
        }
        """;

    public static ConfigDocument Document(string json) => JsonSerializer.Deserialize<ConfigDocument>(json, ModelJson.Options)!;

    /// <summary>Sets (or with <paramref name="valueJson"/> null removes) the node at a path like <c>vaults[0].services[1].host</c>.</summary>
    public static string Edit(string json, string path, string? valueJson)
    {
        var root = JsonNode.Parse(json)!;
        var parts = Split(path);
        JsonNode node = root;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            var part = parts[i];
            var next = part is int index ? node[index] : node[(string)part];
            if (next is null)
            {
                next = new JsonObject();
                node[(string)part] = next;
            }

            node = next;
        }

        var last = parts[^1];
        var value = valueJson is null ? null : JsonNode.Parse(valueJson);
        if (last is int at)
        {
            node.AsArray()[at] = value;
        }
        else if (valueJson is null)
        {
            node.AsObject().Remove((string)last);
        }
        else
        {
            node[(string)last] = value;
        }

        return root.ToJsonString();
    }

    private static List<object> Split(string path)
    {
        var parts = new List<object>();
        foreach (var dotted in path.Split('.'))
        {
            var bracket = dotted.IndexOf('[', StringComparison.Ordinal);
            parts.Add(bracket < 0 ? dotted : dotted[..bracket]);
            while (bracket >= 0)
            {
                var close = dotted.IndexOf(']', bracket);
                parts.Add(int.Parse(dotted.AsSpan(bracket + 1, close - bracket - 1), CultureInfo.InvariantCulture));
                bracket = dotted.IndexOf('[', close);
            }
        }

        return parts;
    }
}
