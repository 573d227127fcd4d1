using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Postgres;
using AgentVault.Testing.Upstream;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Storage;

/// <summary>
/// PostgreSQL stopped under a running broker (docs/reliability.md, "Database outage"): proxying goes on from the last snapshot,
/// management writes answer 503 <c>database_unavailable</c> with <c>Retry-After</c> and work again once the database is back,
/// and every request-log record made meanwhile is written afterwards (none silently lost). Its own PostgreSQL server, since it stops it.
/// </summary>
public sealed partial class PostgresOutageTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private const string MasterPassword = "outage master password";
    private const string Secret = "sk-outage-SECRET-7a8b9c";
    private const int OutageRequests = 40;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly TestCertificateAuthority _upstreamCa = new("Postgres Outage Upstream CA");
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync(_upstreamCa);

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _upstreamCa.Dispose();
    }

    [Fact]
    public async Task PostgresDown_ProxyingContinues_ApplyAnswers503_AndEveryRequestLogRecordIsWrittenAfterwards()
    {
        var url = postgres.Server.UrlFor(await postgres.Server.CreateDatabaseAsync());
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions
        {
            Dev = false,
            MasterPassword = MasterPassword,
            Log = output.WriteLine,
            Arguments = ["--resolve", "api.upstream.test:127.0.0.1", "--upstream-ca", _upstreamCa.PemPath, "--allow-network", "127.0.0.0/8"],
            Environment = new Dictionary<string, string?> { ["AGENT_VAULT_DATABASE_URL"] = url },
        });
        var config = JsonNode.Parse(SharedStoreBroker.Config(_upstream.Port, Path.Combine(broker.WorkDir, "outage-secrets.json")))!;
        var token = await broker.ApplyForAgentTokenAsync(config, "claude");
        using (var api = broker.CreateApiClient())
        {
            using var put = await api.PutAsJsonAsync("/v1/stores/shared/secrets/api", new { value = Secret });
            put.EnsureSuccessStatusCode();
        }

        var caPath = await broker.WriteCaFileAsync();
        Assert.Equal(["200"], (await SharedStoreBroker.ProxyAsync(broker, _upstream.Port, token, caPath, ["/echo/before-outage"])).Select(r => r.Status));
        var droppedBefore = await DroppedAsync(broker);

        await postgres.Server.StopAsync();

        // Proxying goes on from the last snapshot; each record has its own path, so the log can be counted afterwards.
        var prefix = "/echo/outage-" + Guid.NewGuid().ToString("N")[..12] + "/";
        var paths = Enumerable.Range(0, OutageRequests).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        Assert.All(await SharedStoreBroker.ProxyAsync(broker, _upstream.Port, token, caPath, paths), r => Assert.Equal("200", r.Status));

        // A management write (a new agent, so apply has something to save) while the database is down: 503 database_unavailable
        // with Retry-After (checked below, after the log, so that both halves of the outage are seen).
        var changed = config.DeepClone();
        changed["agents"]!.AsArray().Add(new JsonObject { ["name"] = "helper", ["vaults"] = new JsonArray("dev") });
        var (outageStatus, outageRetryAfter, outageBody) = await SharedStoreBroker.ApplyAsync(broker, changed);

        // The database stays down until the request-log writer has tried to write the outage's records and failed.
        Assert.True(
            await broker.WaitForLogAsync("AgentVault.Broker.Audit.RequestLogWriter[", Deadline),
            $"the request-log writer reported no failed write while the database was down\n--- broker stderr\n{broker.Stderr}");
        await postgres.Server.StartAgainAsync();

        // Every record made during the outage is written once the database is back, or counted as dropped: none silently lost.
        var deadline = DateTime.UtcNow + Deadline;
        int logged;
        long dropped;
        while (true)
        {
            logged = await CountLoggedAsync(broker, prefix);
            dropped = await DroppedAsync(broker) - droppedBefore;
            if (logged + dropped >= OutageRequests)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"after the outage {logged} of {OutageRequests} records are in the log and {dropped} counted as dropped\n--- broker stderr\n{broker.Stderr}");
            await Task.Delay(250);
        }

        Assert.Equal(OutageRequests, logged);
        Assert.Equal(0, dropped);

        Assert.True(outageStatus == HttpStatusCode.ServiceUnavailable, $"apply during the outage answered {(int)outageStatus}: {outageBody}");
        Assert.Equal("database_unavailable", JsonDocument.Parse(outageBody).RootElement.GetProperty("code").GetString());
        Assert.Equal("5", outageRetryAfter);
        Assert.DoesNotContain(postgres.Server.SuperuserPassword, outageBody, StringComparison.Ordinal);

        // Management writes work again once it is back (a pooled connection broken by the restart may cost one more 503).
        while (true)
        {
            var (status, _, body) = await SharedStoreBroker.ApplyAsync(broker, changed);
            if (status == HttpStatusCode.OK)
            {
                break;
            }

            Assert.True(status == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline, $"apply after the outage answered {(int)status}: {body}");
            await Task.Delay(250);
        }

        Assert.Contains("The database is unavailable", broker.Stderr, StringComparison.Ordinal);
        Assert.Contains("The database is back", broker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, broker.Stderr, StringComparison.Ordinal);
    }

    private static async Task<int> CountLoggedAsync(BrokerProcess broker, string prefix)
    {
        var result = await broker.Cli.RunAsync("logs", "--json", "--limit", "1000");
        return result.ExitCode == 0 ? result.Lines.Count(l => l.Contains(prefix, StringComparison.Ordinal)) : 0;
    }

    private static async Task<long> DroppedAsync(BrokerProcess broker)
    {
        using var api = broker.CreateApiClient();
        var text = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return DroppedLine().Matches(text).Sum(m => (long)double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^agentvault_request_log_dropped_total(?:\{[^}]*\})?\s+([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex DroppedLine();
}
