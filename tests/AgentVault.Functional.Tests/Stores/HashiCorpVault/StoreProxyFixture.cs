using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
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
    private readonly TestCertificateAuthority _ca = new();
    private BrokerProcess? _broker;
    private X509Certificate2? _brokerCa;

    public FakeVaultServer Vault { get; private set; } = null!;

    public FakeInfisicalServer Infisical { get; private set; } = null!;

    internal RecordingUpstream Upstream { get; private set; } = null!;

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        Upstream = await RecordingUpstream.StartAsync(_ca.IssueServerCertificate("api.upstream.test"));
        Vault = await FakeVaultServer.StartAsync();
        Infisical = await FakeInfisicalServer.StartAsync();
        var (clientId, clientSecret) = Infisical.AddIdentity();
        _broker = await BrokerProcess.StartAsync(new BrokerOptions
        {
            Arguments = ["--resolve", "api.upstream.test:127.0.0.1", "--upstream-ca", _ca.PemPath],
            Environment = new Dictionary<string, string?>
            {
                ["E2E_VAULT_TOKEN"] = Vault.RootToken,
                ["E2E_INFISICAL_CLIENT_ID"] = clientId,
                ["E2E_INFISICAL_CLIENT_SECRET"] = clientSecret,
            },
        });
        using var api = Broker.CreateApiClient(admin: false);
        _brokerCa = X509Certificate2.CreateFromPem(await api.GetStringAsync(new Uri("v1/ca.pem", UriKind.Relative)));
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        await Vault.DisposeAsync();
        await Infisical.DisposeAsync();
        await Upstream.DisposeAsync();
        _brokerCa?.Dispose();
        _ca.Dispose();
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
        using var api = Broker.CreateApiClient();
        using var response = await api.PostAsync(new Uri("v1/apply", UriKind.Relative), new StringContent(document, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"apply failed: {(int)response.StatusCode} {body}");
        using var result = JsonDocument.Parse(body);
        var token = result.RootElement.GetProperty("tokens").EnumerateArray()
            .Single(t => t.GetProperty("agent").GetString() == name + "-agent").GetProperty("token").GetString()!;
        return CreateAgentClient(token, name);
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

    private HttpClient CreateAgentClient(string token, string vault)
    {
        var brokerCa = _brokerCa!;
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy(Broker.ProxyUri) { Credentials = new NetworkCredential(token, vault) },
            UseProxy = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, errors) => TestCertificateAuthority.ValidateWithRoot(brokerCa, certificate, errors) },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Reads a problem response's <c>code</c> and <c>detail</c>.</summary>
    public static async Task<(string? Code, string? Detail)> ReadProblemAsync(HttpResponseMessage response)
    {
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (problem.TryGetProperty("code", out var c) ? c.GetString() : null, problem.TryGetProperty("detail", out var d) ? d.GetString() : null);
    }
}
