using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentVault.Testing.Broker;

/// <summary>The setup steps fixtures repeat on a started broker, through its management API as an operator would.</summary>
public static class BrokerSetup
{
    /// <summary>Writes each value into the <c>--dev</c> file store <c>local</c> under its name.</summary>
    public static async Task PutLocalSecretsAsync(this BrokerProcess broker, params (string Name, string Value)[] secrets)
    {
        using var api = broker.CreateApiClient();
        foreach (var (name, value) in secrets)
        {
            using var response = await api.PutAsJsonAsync($"/v1/stores/local/secrets/{name}", new { value });
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>Applies <paramref name="config"/> (a configuration document) and returns the token created for <paramref name="agent"/>.</summary>
    public static async Task<string> ApplyForAgentTokenAsync(this BrokerProcess broker, JsonNode config, string agent)
    {
        using var api = broker.CreateApiClient();
        using var response = await api.PostAsync("/v1/apply", JsonContent.Create(config));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"apply failed with {(int)response.StatusCode}: {body}");
        }

        using var applied = JsonDocument.Parse(body);
        return applied.RootElement.GetProperty("tokens").EnumerateArray()
            .Single(t => t.GetProperty("agent").GetString() == agent).GetProperty("token").GetString()!;
    }

    /// <summary>
    /// Writes the broker's CA certificate (what agents trust) to a PEM file in its work directory; returns the path. Fetched
    /// without the admin token, as agents do (<c>GET /v1/ca.pem</c> is public), so it also works on an instance whose data
    /// directory holds no admin token (a second instance on a shared database).
    /// </summary>
    public static async Task<string> WriteCaFileAsync(this BrokerProcess broker)
    {
        using var api = broker.CreateApiClient(admin: false);
        var path = Path.Combine(broker.WorkDir, "broker-ca.pem");
        await File.WriteAllTextAsync(path, await api.GetStringAsync(new Uri("/v1/ca.pem", UriKind.Relative)));
        return path;
    }
}
