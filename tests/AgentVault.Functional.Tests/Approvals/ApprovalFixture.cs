using System.Net.Http.Json;
using System.Text.Json;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Approvals;

/// <summary>
/// One broker and one upstream for the per-request approval tests. Service <c>payments</c> holds <c>POST /charges/**</c>,
/// <c>POST /grant/**</c>, <c>PUT /cli/**</c> and <c>POST /console/**</c> (each test its own path, so their held requests never
/// meet); <c>quick</c> holds everything for 2 s (timeouts) and is reached over plain HTTP (absolute-form requests);
/// <c>open</c> has no approve rules. Tests wait for a held request by polling <c>GET /v1/approvals</c>.
/// </summary>
public sealed class ApprovalFixture : IAsyncLifetime
{
    public const string Secret = "sk_approval_secret_7f3a";

    private BrokerEnvironment? _broker;
    private TestUpstream? _upstream;
    private Dictionary<string, string> _tokens = [];

    internal BrokerEnvironment Broker => _broker ?? throw new InvalidOperationException("not started");

    internal TestUpstream Upstream => _upstream ?? throw new InvalidOperationException("not started");

    /// <summary>Agents: claude and grantee (the one standing grants are given to).</summary>
    internal string Token(string agent) => _tokens[agent];

    /// <summary>https://payments.upstream.test:PORT + <paramref name="path"/>.</summary>
    internal string Payments(string path) => $"https://payments.upstream.test:{Upstream.Port}{path}";

    /// <summary>http://quick.upstream.test:PLAINPORT + <paramref name="path"/> (plain HTTP, absolute-form through the proxy).</summary>
    internal string Quick(string path) => $"http://quick.upstream.test:{Upstream.PlainPort}{path}";

    internal string Open(string path) => $"https://open.upstream.test:{Upstream.Port}{path}";

    public async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "Approvals Upstream CA",
            Hosts = ["payments.upstream.test", "quick.upstream.test", "open.upstream.test"],
        });
        _upstream = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa, ["*.upstream.test"], plainHttp: true));
        await Broker.PutSecretsAsync(("api", Secret));
        _tokens = await Broker.ApplyAndGetTokensAsync($$"""
        vaults:
          - name: dev
            credentials:
              API_KEY: "local:api"
            services:
              - name: payments
                host: "payments.upstream.test:{{Upstream.Port}}"
                auth: { type: bearer, token: API_KEY }
                rules:
                  approve: ["POST /charges/**", "POST /grant/**", "PUT /cli/**", "POST /console/**"]
              - name: quick
                host: "quick.upstream.test:{{Upstream.PlainPort}}"
                auth: { type: passthrough }
                approval_timeout: 2s
                rules:
                  approve: ["* /**"]
              - name: open
                host: "open.upstream.test:{{Upstream.Port}}"
                auth: { type: bearer, token: API_KEY }
        agents:
          - name: claude
            vaults: [dev]
          - name: grantee
            vaults: [dev]
        """);
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    /// <summary>A fresh path segment, so each test finds its own held request and upstream hits.</summary>
    internal static string Marker() => Guid.NewGuid().ToString("N");

    internal static string Text(JsonElement element, string name) => element.GetProperty(name).GetString() ?? string.Empty;

    /// <summary>How many requests whose target contains <paramref name="marker"/> reached the upstream.</summary>
    internal int Hits(string marker) => Upstream.ReceivedTargets.Count(t => t.Contains(marker, StringComparison.Ordinal));

    /// <summary>Polls <c>GET /v1/approvals?status=pending</c> until a held request's path contains <paramref name="marker"/>; returns it.</summary>
    internal async Task<JsonElement> WaitForPendingAsync(string marker)
    {
        using var api = Broker.Process.CreateApiClient();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string last;
        do
        {
            using var response = await api.GetAsync(new Uri("/v1/approvals?status=pending", UriKind.Relative));
            last = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, last);
            using var json = JsonDocument.Parse(last);
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("path").GetString()!.Contains(marker, StringComparison.Ordinal))
                {
                    return item.Clone();
                }
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);

        throw new TimeoutException($"no held request for {marker}; last answer: {last}");
    }

    /// <summary><c>POST /v1/approvals/{id}/{action}</c> with the admin token (or <paramref name="token"/>).</summary>
    internal async Task<HttpResponseMessage> DecideAsync(string id, string action, object? body = null, string? token = null)
    {
        using var api = Broker.Process.CreateApiClient(admin: token is null);
        if (token is not null)
        {
            api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        var response = await api.PostAsync(new Uri($"/v1/approvals/{id}/{action}", UriKind.Relative), body is null ? null : JsonContent.Create(body));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The request-log record of the request whose path contains <paramref name="marker"/>.</summary>
    internal Task<JsonElement> LogOfAsync(string marker) =>
        Broker.WaitForLogAsync(r => r.GetProperty("path").GetString()!.Contains(marker, StringComparison.Ordinal), marker);
}
