using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.Infisical;
using AgentVault.Testing.Fakes.Vault;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Stores.HashiCorpVault;

/// <summary>
/// The real broker (<c>--dev</c>) with the real store plugins, a fake Vault and a fake Infisical on 127.0.0.1, and a
/// recording HTTPS upstream reached as <c>api.upstream.test</c> (<c>--resolve</c>, <c>--upstream-ca</c>). Each test
/// applies its own store, vault, service and agent, so tests of a class share one broker.
/// </summary>
public sealed class StoreProxyFixture : IAsyncLifetime
{
    private BrokerEnvironment? _environment;

    public FakeVaultServer Vault { get; private set; } = null!;

    public FakeInfisicalServer Infisical { get; private set; } = null!;

    internal RecordingUpstream Upstream { get; private set; } = null!;

    public BrokerEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public BrokerProcess Broker => Environment.Process;

    public async Task InitializeAsync()
    {
        var vault = await FakeVaultServer.StartAsync();
        var infisical = await FakeInfisicalServer.StartAsync();
        var (clientId, clientSecret) = infisical.AddIdentity();
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            Hosts = ["api.upstream.test"],
            Environment = new Dictionary<string, string?>
            {
                ["E2E_VAULT_TOKEN"] = vault.RootToken,
                ["E2E_INFISICAL_CLIENT_ID"] = clientId,
                ["E2E_INFISICAL_CLIENT_SECRET"] = clientSecret,
            },
        });
        Vault = Environment.Own(vault);
        Infisical = Environment.Own(infisical);
        Upstream = Environment.Own(await RecordingUpstream.StartAsync(Environment.UpstreamCa));
    }

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }

    /// <summary>
    /// Applies store <paramref name="name"/> (type and settings JSON, cache <paramref name="ttl"/>/<paramref name="maxStale"/>),
    /// vault <paramref name="name"/> with <paramref name="credentials"/>, a service for the upstream with
    /// <paramref name="authJson"/>, and agent <c>{name}-agent</c>; returns a client that goes through the proxy as that agent.
    /// </summary>
    public async Task<HttpClient> SetUpAsync(string name, string type, string settingsJson, string ttl, string maxStale, IReadOnlyDictionary<string, string> credentials, string authJson)
    {
        var document = $$"""
            {
              "stores": [ { "name": "{{name}}", "type": "{{type}}", "settings": {{settingsJson}}, "cache": { "ttl": "{{ttl}}", "max_stale": "{{maxStale}}" } } ],
              "vaults": [ {
                "name": "{{name}}", "unmatched": "deny",
                "credentials": {{JsonSerializer.Serialize(credentials)}},
                "services": [ { "name": "upstream", "host": "api.upstream.test:{{Upstream.Port}}", "auth": {{authJson}} } ]
              } ],
              "agents": [ { "name": "{{name}}-agent", "vaults": [ "{{name}}" ] } ]
            }
            """;
        var tokens = await Environment.ApplyAndGetTokensAsync(JsonNode.Parse(document)!);
        return Environment.CreateClient(tokens[name + "-agent"], name);
    }

    /// <summary>POSTs to a management API path and returns the JSON answer (status must be 2xx).</summary>
    public async Task<JsonElement> PostApiAsync(string path)
    {
        using var api = Broker.CreateApiClient();
        using var response = await api.PostAsync(new Uri(path, UriKind.Relative), content: null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The upstream URL of <paramref name="path"/> as agents address it.</summary>
    public Uri UpstreamUrl(string path) => new($"https://api.upstream.test:{Upstream.Port}{path}");

    /// <summary>Reads a problem response's <c>code</c> and <c>detail</c>.</summary>
    public static async Task<(string? Code, string? Detail)> ReadProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (problem.TryGetProperty("code", out var c) ? c.GetString() : null, problem.TryGetProperty("detail", out var d) ? d.GetString() : null);
    }
}
