using System.Net;
using System.Text.Json.Nodes;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Postgres;
using AgentVault.Testing.Upstream;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Storage;

/// <summary>
/// The real broker on a real PostgreSQL (<c>AGENT_VAULT_DATABASE_URL=postgres://…</c>, master password set): state survives restarts,
/// and two broker processes on one database behave as one (an agent created through A proxies through B; revoked on A, refused on B).
/// </summary>
public sealed class PostgresBrokerTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private const string MasterPassword = "shared master password for every instance";
    private const string Secret = "sk-postgres-SECRET-4c5d6e";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ApplyExport_RoundTripsAndARestartKeepsAllState()
    {
        var url = postgres.Server.UrlFor(await postgres.Server.CreateDatabaseAsync());
        await using var environment = await StartAsync(url);
        var broker = environment.Process;
        var file = await Samples.WriteAsync(broker.WorkDir, "dev.yaml", Samples.DevConfig);
        CliAssert.Ok(await broker.Cli.RunAsync("apply", "-f", file));
        var created = CliAssert.Json(await broker.Cli.RunAsync("agent", "create", "survivor", "--vault", "dev", "--json"));
        Assert.StartsWith("avt_", created.GetProperty("token").GetString(), StringComparison.Ordinal);
        var exportBefore = CliAssert.Ok(await broker.Cli.RunAsync("export")).Stdout;
        var caBefore = CliAssert.Ok(await broker.Cli.RunAsync("ca", "fetch")).Stdout;
        Assert.Contains("api.openai.com", exportBefore, StringComparison.Ordinal);

        await broker.RestartAsync();

        Assert.False(broker.PrintedAdminTokenThisRun);
        Assert.Equal(exportBefore, CliAssert.Ok(await broker.Cli.RunAsync("export")).Stdout);
        Assert.Equal(caBefore, CliAssert.Ok(await broker.Cli.RunAsync("ca", "fetch")).Stdout);
        Assert.Contains(CliAssert.Ok(await broker.Cli.RunAsync("agent", "list")).Lines, l => l.StartsWith("survivor ", StringComparison.Ordinal));

        // Nothing of the metadata went to a SQLite file in the data directory.
        Assert.False(File.Exists(Path.Combine(broker.DataDir, "agent-vault.db")));

        // SIGTERM stops it cleanly: the change listener and the poller end without an error.
        Assert.Equal(0, await broker.StopAsync());
        Assert.DoesNotContain("fail:", broker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warn: AgentVault.Broker.Storage", broker.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoInstances_AgentCreatedOnAProxiesThroughB_AndRevokedOnAIsRefusedOnB()
    {
        var url = postgres.Server.UrlFor(await postgres.Server.CreateDatabaseAsync());
        await using var a = await StartAsync(url);
        await using var b = await StartAsync(url, trustUpstreamsOf: a);
        var upstream = a.Own(await TestUpstream.StartAsync(a.UpstreamCa));
        Assert.False(b.Process.PrintedAdminTokenThisRun);

        // Configuration, agent and secret all go in through A; B started before any of it existed.
        var secrets = Path.Combine(a.Process.WorkDir, "shared-secrets.json");
        var token = (await a.ApplyAndGetTokensAsync(JsonNode.Parse(SharedStoreBroker.Config(upstream.Port, secrets))!))["claude"];
        using (var api = a.Process.CreateApiClient())
        {
            using var put = await api.PutAsync(new Uri("/v1/stores/shared/secrets/api", UriKind.Relative), JsonContent(new JsonObject { ["value"] = Secret }));
            put.EnsureSuccessStatusCode();
        }

        // One CA for every instance: what agents trust does not depend on the instance they reach.
        var caPath = a.CaPath;
        using (var anonymous = b.Process.CreateApiClient(admin: false))
        {
            Assert.Equal(await File.ReadAllTextAsync(caPath), await anonymous.GetStringAsync(new Uri("/v1/ca.pem", UriKind.Relative)));
        }

        // The admin token is shared too: A's token manages B.
        var bAdmin = b.Process.Cli.With("AGENT_VAULT_ADMIN_TOKEN", a.Process.AdminToken);
        var through = await PollAsync(b, upstream, token, caPath, r => r.Body.Contains(Secret, StringComparison.Ordinal));
        Assert.Contains("\"authorization\":\"Bearer " + Secret + "\"", through.Body, StringComparison.Ordinal);
        Assert.Contains(CliAssert.Ok(await bAdmin.RunAsync("agent", "list")).Lines, l => l.StartsWith("claude ", StringComparison.Ordinal));

        // B wrote the request-log record; A reads it from the shared table.
        var logged = (await a.WaitForLogAsync(r => r.GetRawText().Contains("/echo/pg", StringComparison.Ordinal), "/echo/pg")).GetRawText();
        Assert.Contains("\"agent\":\"claude\"", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, logged, StringComparison.Ordinal);

        CliAssert.Ok(await a.Process.Cli.RunAsync("agent", "revoke", "claude"));

        var refused = await PollAsync(b, upstream, token, caPath, r => r.Connect == "407");
        Assert.DoesNotContain(Secret, refused.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondInstanceWithAnotherMasterPassword_Exits1WithAClearMessage()
    {
        var url = postgres.Server.UrlFor(await postgres.Server.CreateDatabaseAsync());
        await using var a = await StartAsync(url);

        var result = await RunServerAsync(url, "not the shared password");

        CliAssert.Failed(result);
        Assert.Contains("the master password does not unlock", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not the shared password", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(postgres.Server.SuperuserPassword, result.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(a.Process, "/readyz"));
    }

    [Theory]
    [InlineData("postgres://av:hunter2-secret@127.0.0.1:1/agent_vault", 1, "cannot use the PostgreSQL database postgres://av@127.0.0.1:1/agent_vault")]
    [InlineData("postgres://av:hunter2-secret@127.0.0.1:1/agent_vault?sslmode=sometimes", 2, "sslmode must be one of")]
    [InlineData("postgres://av:hunter2-secret@127.0.0.1:1/agent_vault?bogus=1", 2, "unknown option 'bogus'")]
    public async Task UnusableDatabaseUrl_FailsClearlyWithoutThePassword(string url, int exitCode, string expected)
    {
        var result = await RunServerAsync(url, MasterPassword);

        CliAssert.Failed(result, exitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongDatabasePassword_Exits1WithoutEitherPassword()
    {
        var name = await postgres.Server.CreateDatabaseAsync();

        var result = await RunServerAsync(postgres.Server.UrlFor(name, password: "hunter2-wrong"), MasterPassword);

        CliAssert.Failed(result);
        Assert.Contains("password authentication failed", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(MasterPassword, result.Output, StringComparison.Ordinal);
    }

    /// <summary>A broker on <paramref name="url"/> (not <c>--dev</c>; the shared master password), also trusting the upstream CA of <paramref name="trustUpstreamsOf"/>.</summary>
    private Task<BrokerEnvironment> StartAsync(string url, BrokerEnvironment? trustUpstreamsOf = null) => BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
    {
        // Each environment makes its own upstream CA; a second one's must not share the first's name, or chain building can pick the wrong root.
        UpstreamCaName = trustUpstreamsOf is null ? "Postgres Functional Upstream CA" : "Postgres Functional Upstream CA (second instance)",
        Dev = false,
        MasterPassword = MasterPassword,
        Log = output.WriteLine,
        Hosts = ["api.upstream.test"],
        MoreUpstreamCaFiles = trustUpstreamsOf is null ? [] : [trustUpstreamsOf.UpstreamCa.PemPath],
        Arguments = ["--allow-network", "127.0.0.0/8"],
        Environment = new Dictionary<string, string?> { ["AGENT_VAULT_DATABASE_URL"] = url },
    });

    private static async Task<CliResult> RunServerAsync(string url, string masterPassword)
    {
        var home = Directory.CreateTempSubdirectory("agent-vault-pg-fail-").FullName;
        try
        {
            return await new CliRunner().RunAsync(
                ["server", "--data-dir", Path.Combine(home, "data"), "--api-listen", "127.0.0.1:0", "--proxy-listen", "127.0.0.1:0"],
                stdin: null,
                environment: [new("AGENT_VAULT_DATABASE_URL", url), new("AGENT_VAULT_MASTER_PASSWORD", masterPassword), new("HOME", home)],
                timeout: TimeSpan.FromSeconds(90));
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    /// <summary>Requests the echo upstream through <paramref name="broker"/>'s proxy with curl until <paramref name="done"/> holds (deadline 30 s).</summary>
    private static async Task<CurlResult> PollAsync(BrokerEnvironment broker, TestUpstream upstream, string token, string caPath, Func<CurlResult, bool> done)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var result = await ClientProcess.RunAsync("curl", [
                "-sS", "--proxy", broker.ProxyUrl(token), "--cacert", caPath,
                "-H", "Authorization: Bearer agent-dummy", "-w", "\n%{http_connect}", $"https://api.upstream.test:{upstream.Port}/echo/pg"]);
            var lines = result.StdOut.TrimEnd('\n').Split('\n');
            var last = new CurlResult(lines[^1].Trim(), string.Join('\n', lines[..^1]));
            if (done(last))
            {
                return last;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no expected answer through {broker.ProxyUri} within {Deadline}: {result}\n--- broker stderr\n{broker.Process.Stderr}");
            await Task.Delay(250);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(BrokerProcess broker, string path)
    {
        using var api = broker.CreateApiClient(admin: false);
        using var response = await api.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    private sealed record CurlResult(string Connect, string Body);
}
