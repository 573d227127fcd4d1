using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proposals;

/// <summary>
/// One broker with vault <c>dev</c> (an existing bearer service on the upstream using <c>UPSTREAM_TOKEN</c>), agents
/// <c>claude</c> and <c>other</c>, and a local HTTPS upstream reachable as <c>api.upstream.test</c> and <c>collector.test</c>.
/// </summary>
public sealed class ProposalFixture : IAsyncLifetime
{
    public const string UpstreamHost = "api.upstream.test";
    public const string CollectorHost = "collector.test";
    public const string ExistingSecret = "sk-existing-SECRET-51d3";
    public const string NewSecret = "sk-proposed-SECRET-77a0";
    public const string HookSecret = "whsec-proposals-SECRET-2b9d";
    public const string HookHost = "hooks.upstream.test";

    private BrokerEnvironment? _broker;
    private TestUpstream? _upstream;

    public BrokerEnvironment Broker => _broker!;

    public TestUpstream Upstream => _upstream!;

    public string Authority => $"{UpstreamHost}:{Upstream.Port}";

    /// <summary>Receives the <c>proposal.created</c> and <c>proposal.decided</c> webhooks on <c>/proposals</c>.</summary>
    public WebhookReceiver Hooks { get; private set; } = null!;

    public string Claude { get; private set; } = string.Empty;

    public string Other { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Proposal Test CA", Hosts = [UpstreamHost, CollectorHost, HookHost] });
        _upstream = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa, [UpstreamHost, CollectorHost]));
        Hooks = Broker.Own(await WebhookReceiver.StartAsync(Broker.UpstreamCa));
        await Broker.PutSecretsAsync(("existing", ExistingSecret), ("proposed", NewSecret), ("hook", HookSecret));
        var tokens = await Broker.ApplyAndGetTokensAsync($$"""
            vaults:
              - name: dev
                credentials:
                  UPSTREAM_TOKEN: local:existing
                services:
                  - name: upstream
                    host: {{Authority}}
                    auth: { type: bearer, token: UPSTREAM_TOKEN }
              - name: sandbox
            agents:
              - name: claude
                vaults: [dev]
              - name: other
                vaults: [sandbox]
            notifications:
              - name: reviewers
                url: https://{{HookHost}}:{{Hooks.Port}}/proposals
                secret: local:hook
                format: generic
                events: [proposal.created, proposal.decided]
            """);
        Claude = tokens["claude"];
        Other = tokens["other"];
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    /// <summary>An HttpClient on the API with <paramref name="token"/> as bearer (admin, agent or none).</summary>
    public HttpClient Api(string? token)
    {
        var client = new HttpClient { BaseAddress = Broker.Process.ApiUrl };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> with <paramref name="token"/>; the status and the JSON answer.</summary>
    public async Task<(int Status, JsonElement Body)> PostAsync(string? token, string path, object body)
    {
        using var api = Api(token);
        using var response = await api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<(int Status, JsonElement Body)> GetAsync(string? token, string path)
    {
        using var api = Api(token);
        using var response = await api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A proposal by <c>claude</c> for a service named <paramref name="name"/> on <paramref name="host"/>; returns its id.</summary>
    public async Task<string> ProposeAsync(string name, string host)
    {
        var (status, body) = await PostAsync(Claude, "/v1/proposals", Proposal(name, host));
        Assert.True(status == 201, $"{status}: {body}");
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>The body of a proposal for one bearer service using the existing <c>UPSTREAM_TOKEN</c>.</summary>
    public static object Proposal(string name, string host) => new
    {
        vault = "dev",
        message = "needs " + name,
        services = new[] { new { name, host, auth = new { type = "bearer", token = "UPSTREAM_TOKEN" } } },
    };
}
