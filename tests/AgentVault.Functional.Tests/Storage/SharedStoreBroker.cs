using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Storage;

/// <summary>
/// What the storage tests that run their own broker share: a configuration whose one service (<c>echo</c> on the test
/// upstream) injects a bearer secret from a file store at a path every instance can read, and <c>apply</c> with its status,
/// <c>Retry-After</c> and body.
/// </summary>
internal static class SharedStoreBroker
{
    /// <summary>Vault <c>dev</c> with service <c>echo</c> (bearer <c>API_KEY</c> from <c>shared:api</c>, redaction off) and agent <c>claude</c>.</summary>
    public static string Config(int port, string secretsPath) => $$$"""
    {
      "stores": [{ "name": "shared", "type": "file", "settings": { "path": {{{JsonSerializer.Serialize(secretsPath)}}} } }],
      "vaults": [{
        "name": "dev",
        "unmatched": "deny",
        "credentials": { "API_KEY": "shared:api" },
        "services": [{ "name": "echo", "host": "api.upstream.test:{{{port}}}", "auth": { "type": "bearer", "token": "API_KEY" }, "redact": "off" }]
      }],
      "agents": [{ "name": "claude", "vaults": ["dev"] }]
    }
    """;

    public static async Task<(HttpStatusCode Status, string? RetryAfter, string Body)> ApplyAsync(BrokerProcess broker, JsonNode config)
    {
        using var api = broker.CreateApiClient();
        using var response = await api.PostAsJsonAsync("/v1/apply", config);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;
        return (response.StatusCode, retryAfter, await response.Content.ReadAsStringAsync());
    }
}
