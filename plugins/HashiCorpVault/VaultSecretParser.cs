using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>
/// Turns a Vault read response into a <see cref="SecretValue"/>: a response with a <c>lease_id</c> is a dynamic secret
/// (fields from <c>data</c>, with its lease); <c>data.data</c> plus <c>data.metadata</c> is KV v2 (version from the
/// metadata); anything else is KV v1 or another engine whose <c>data</c> fields are used as they are.
/// </summary>
internal static class VaultSecretParser
{
    public static SecretValue Parse(JsonObject body, string store, string path, DateTimeOffset now)
    {
        if (body["data"] is not JsonObject data)
        {
            throw new SecretStoreException(SecretErrorCategory.NotFound, $"Vault store '{store}': '{path}' returned no data");
        }

        var leaseId = body["lease_id"] is JsonValue l && l.TryGetValue<string>(out var id) ? id : null;
        if (!string.IsNullOrEmpty(leaseId))
        {
            var duration = TimeSpan.FromSeconds(ReadLong(body["lease_duration"]));
            var renewable = body["renewable"] is JsonValue r && r.TryGetValue<bool>(out var b) && b;
            var lease = new SecretLease(leaseId, duration, renewable, now);
            return new SecretValue(null, Fields(data)) { Lease = lease, ExpiresAt = lease.ExpiresAt };
        }

        if (IsKv2(data))
        {
            if (data["data"] is not JsonObject kvData)
            {
                // A soft-deleted or destroyed version: metadata only.
                throw new SecretStoreException(SecretErrorCategory.NotFound, $"Vault store '{store}': the requested version of '{path}' is deleted or destroyed");
            }

            var version = (data["metadata"] as JsonObject)?["version"];
            return new SecretValue(null, Fields(kvData)) { Version = version is null ? null : ReadLong(version).ToString(CultureInfo.InvariantCulture) };
        }

        return new SecretValue(null, Fields(data));
    }

    private static bool IsKv2(JsonObject data) =>
        data.Count == 2 && data.ContainsKey("data") && data["metadata"] is JsonObject metadata && metadata.ContainsKey("version");

    private static Dictionary<string, string> Fields(JsonObject data)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, node) in data)
        {
            if (node is null)
            {
                continue;
            }

            fields[name] = node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();
        }

        return fields;
    }

    private static long ReadLong(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.TryGetValue<double>(out var d) => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
        _ => 0,
    };
}
