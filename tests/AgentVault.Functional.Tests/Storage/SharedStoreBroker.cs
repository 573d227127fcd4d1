using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using Xunit;

namespace AgentVault.Functional.Tests.Storage;

/// <summary>
/// What the storage tests that run their own broker share: a configuration whose one service (<c>echo</c> on the test
/// upstream) injects a bearer secret from a file store at a path every instance can read, and <c>apply</c> with its status,
/// <c>Retry-After</c> and body, and curl through the proxy.
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

    /// <summary>One curl through the proxy requesting every path of the upstream in turn (one tunnel); returns the status and total time of each.</summary>
    public static async Task<(string Status, double Seconds)[]> ProxyAsync(BrokerProcess broker, int upstreamPort, string token, string caPath, string[] paths)
    {
        var args = new List<string>
        {
            "-sS", "--max-time", "60", "--proxy", $"http://{token}:dev@127.0.0.1:{broker.ProxyUri.Port}", "--cacert", caPath,
            "-H", "Authorization: Bearer agent-dummy", "-w", "%{http_code} %{time_total}\n",
        };
        foreach (var path in paths)
        {
            args.AddRange([$"https://api.upstream.test:{upstreamPort}{path}", "-o", "/dev/null"]);
        }

        var result = await ClientProcess.RunAsync("curl", args);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == paths.Length, $"curl answered {lines.Length} of {paths.Length}: {result}");
        return [.. lines.Select(l => l.Split(' ')).Select(p => (p[0], double.Parse(p[1], CultureInfo.InvariantCulture)))];
    }

    public static async Task<(HttpStatusCode Status, string? RetryAfter, string Body)> ApplyAsync(BrokerProcess broker, JsonNode config)
    {
        using var api = broker.CreateApiClient();
        using var response = await api.PostAsJsonAsync("/v1/apply", config);
        var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? string.Join(",", values) : null;
        return (response.StatusCode, retryAfter, await response.Content.ReadAsStringAsync());
    }
}
