using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.OAuth;
using AgentVault.Testing.Fakes.Otlp;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Telemetry;

/// <summary>
/// <c>--otlp-endpoint</c> on the real broker, exporting to a collector on loopback that decodes the protobuf: the span tree
/// of a request whose token is minted (real oidc-provider) from credentials read from the file store, the cache hit of the
/// next one, the link to the request-log record, metrics and logs — and no secret anywhere in what was exported.
/// </summary>
public sealed class OtlpExportTests
{
    private const string ApiKey = "sk_otlp_api_key_4f1d9b";

    // What an agent could send to pick the trace of its request or switch its sampling off (flags 00).
    private const string AgentTraceId = "0af7651916cd43dd8448eb211c80319c";

    [Fact]
    public async Task ProxiedRequests_ExportASpanTreePerRequest_MetricsAndLogs_WithoutSecrets()
    {
        await using var collector = await OtlpCollector.StartAsync();
        var provider = await OidcProviderServer.StartAsync();
        await using var broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            Hosts = ["api.upstream.test"],
            MoreUpstreamCaFiles = [provider.CertificateAuthority.PemPath],
            Arguments = ["--otlp-endpoint", collector.Endpoint],
            DebugLog = true,
            Environment = new Dictionary<string, string?>
            {
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            },
        });
        broker.Own(provider);
        var upstream = broker.Own(await RecordingUpstream.StartAsync(broker.UpstreamCa));
        await broker.PutSecretsAsync(("otlp-client", OidcProviderServer.BasicClientId), ("otlp-secret", OidcProviderServer.ClientSecret), ("otlp-api", ApiKey));
        var token = (await broker.ApplyAndGetTokensAsync(JsonNode.Parse(Config(provider, upstream.Port))!))["tracer"];

        var minted = "/minted/" + Guid.NewGuid().ToString("N");
        var cached = "/minted/" + Guid.NewGuid().ToString("N");
        var keyed = "/keyed/" + Guid.NewGuid().ToString("N");
        foreach (var path in new[] { minted, cached, keyed })
        {
            var result = await broker.CurlAsync(token, "otel", [
                "-o", "/dev/null", "-w", "%{http_code}", "-H", $"traceparent: 00-{AgentTraceId}-b7ad6b7169203331-00", $"https://api.upstream.test:{upstream.Port}{path}"]);
            Assert.True(result.ExitCode == 0 && result.StdOut.Trim() == "200", result.ToString());
        }

        var spans = await collector.WaitForAsync(c => c.Spans(), s => new[] { minted, cached, keyed }.All(p => RequestSpan(s, p) is not null), "the three request spans");

        // The first request: every step a child of its proxy.request span, the credentials read from the store, the token minted.
        var first = RequestSpan(spans, minted)!;
        Assert.Equal(OtlpSpan.ServerKind, first.Kind);
        Assert.Equal(string.Empty, first.ParentSpanId);
        Assert.Equal("tracer", first.Attribute("agent_vault.agent"));
        Assert.Equal("otel", first.Attribute("agent_vault.vault"));
        Assert.Equal("minted", first.Attribute("agent_vault.service"));
        Assert.Equal("200", first.Attribute("http.response.status_code"));
        var children = ChildrenOf(spans, first);
        Assert.All(children, c => Assert.Equal(first.TraceId, c.TraceId));
        foreach (var step in new[] { "authenticate", "route", "policy", "forward" })
        {
            Assert.Single(children, c => c.Name == step);
        }

        var resolutions = children.Where(c => c.Name == "credential.resolve").ToList();
        Assert.Equal(["CLIENT_ID", "CLIENT_SECRET"], resolutions.Select(r => r.Attribute("agent_vault.credential.key")).Order());
        Assert.All(resolutions, r =>
        {
            Assert.Equal("miss", r.Attribute("agent_vault.cache"));
            Assert.Equal("local", r.Attribute("agent_vault.store"));
            var fetch = Assert.Single(ChildrenOf(spans, r));
            Assert.Equal(("store.fetch", OtlpSpan.ClientKind, "local"), (fetch.Name, fetch.Kind, fetch.Attribute("agent_vault.store")));
        });
        var mint = Assert.Single(children, c => c.Name == "token.mint");
        Assert.Equal(("AgentVault.Plugins", "client-credentials"), (mint.Scope, mint.Attribute("agent_vault.mint.grant")));
        var forward = Assert.Single(children, c => c.Name == "forward");
        Assert.Equal((OtlpSpan.ClientKind, "api.upstream.test", "200"), (forward.Kind, forward.Attribute("server.address"), forward.Attribute("http.response.status_code")));

        // The second: both credentials from the cache, the token reused; no store call, no mint.
        var second = ChildrenOf(spans, RequestSpan(spans, cached)!);
        Assert.Equal(["hit", "hit"], second.Where(c => c.Name == "credential.resolve").Select(c => c.Attribute("agent_vault.cache")));
        Assert.DoesNotContain(second, c => c.Name == "token.mint");
        Assert.Empty(second.Where(c => c.Name == "credential.resolve").SelectMany(r => ChildrenOf(spans, r)));

        // The agent's traceparent is not trusted: each request is the root of its own, sampled trace.
        Assert.All(new[] { minted, cached, keyed }.Select(p => RequestSpan(spans, p)!), s => Assert.Equal((string.Empty, false), (s.ParentSpanId, s.TraceId == AgentTraceId)));

        // Each span links to its request-log record, and back.
        var record = await broker.WaitForLogAsync(r => r.GetProperty("path").GetString() == minted, minted);
        Assert.Equal(first.TraceId, record.GetProperty("trace_id").GetString());

        // The request log is written in the background: its counter may reach the collector an export later than the others.
        string[] expectedMetrics = ["agentvault.proxy.request.duration", "agentvault.secrets.cache.hits", "agentvault.request_log.written"];
        await collector.WaitForAsync(c => c.MetricNames(), m => expectedMetrics.All(m.Contains), "the proxy, cache and request-log metrics");
        await collector.WaitForAsync(c => c.LogBodies(), l => l.Any(b => b.Contains("client-credentials access token obtained", StringComparison.Ordinal)), "the mint's log line");

        // Nothing exported carries a secret: not the client secret, the minted token, the API key, the agent's or the admin token.
        var exported = collector.AllText();
        var mintedToken = Assert.Single(upstream.TokensFor(minted));
        foreach (var secret in new[] { OidcProviderServer.ClientSecret, mintedToken, ApiKey, token, broker.Process.AdminToken })
        {
            Assert.DoesNotContain(secret, exported, StringComparison.Ordinal);
        }

        Assert.Empty(collector.Rejected);
    }

    private static OtlpSpan? RequestSpan(List<OtlpSpan> spans, string path) =>
        spans.SingleOrDefault(s => s.Name == "proxy.request" && s.Attribute("url.path") == path);

    private static List<OtlpSpan> ChildrenOf(List<OtlpSpan> spans, OtlpSpan parent) =>
        [.. spans.Where(s => s.TraceId == parent.TraceId && s.ParentSpanId == parent.SpanId)];

    private static string Config(OidcProviderServer provider, int port) => new JsonObject
    {
        ["vaults"] = new JsonArray(new JsonObject
        {
            ["name"] = "otel",
            ["credentials"] = new JsonObject
            {
                ["CLIENT_ID"] = "local:otlp-client",
                ["CLIENT_SECRET"] = "local:otlp-secret",
                ["API_KEY"] = "local:otlp-api",
            },
            ["services"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "minted",
                    ["host"] = $"api.upstream.test:{port}/minted/**",
                    ["auth"] = new JsonObject
                    {
                        ["type"] = "oauth2-client-credentials",
                        ["token_url"] = provider.TokenUrl.AbsoluteUri,
                        ["client_id"] = "CLIENT_ID",
                        ["client_secret"] = "CLIENT_SECRET",
                        ["scope"] = "api:read",
                    },
                },
                new JsonObject
                {
                    ["name"] = "keyed",
                    ["host"] = $"api.upstream.test:{port}/keyed/**",
                    ["auth"] = new JsonObject { ["type"] = "bearer", ["token"] = "API_KEY" },
                }),
        }),
        ["agents"] = new JsonArray(new JsonObject { ["name"] = "tracer", ["vaults"] = new JsonArray("otel") }),
    }.ToJsonString();
}
