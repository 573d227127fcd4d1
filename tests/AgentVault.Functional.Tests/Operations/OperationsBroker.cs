using System.Text.Json.Nodes;
using AgentVault.Functional.Tests.Storage;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Postgres;
using AgentVault.Testing.Upstream;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Operations;

/// <summary>
/// What the migrate and backup tests share: brokers (master password, not --dev) on a given database, a configuration with a
/// secret behind it, a request through the proxy that must carry the secret, and the CLI as an operator on the broker host.
/// </summary>
internal sealed class OperationsBroker(ITestOutputHelper output, PostgresServer postgres)
{
    public const string MasterPassword = "operations master password";
    public const string Secret = "sk-operations-SECRET-7f8e9d";

    public PostgresServer Postgres => postgres;

    /// <summary>A broker on <paramref name="databaseUrl"/> (null: SQLite in its data directory), also trusting <paramref name="upstreamCa"/>.</summary>
    public Task<BrokerEnvironment> StartAsync(string? databaseUrl, string? upstreamCa = null) => BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
    {
        UpstreamCaName = "Operations Upstream CA " + Guid.NewGuid().ToString("N")[..6],
        Dev = false,
        MasterPassword = MasterPassword,
        Log = output.WriteLine,
        Hosts = ["api.upstream.test"],
        MoreUpstreamCaFiles = upstreamCa is null ? [] : [upstreamCa],
        Arguments = databaseUrl is null ? ["--allow-network", "127.0.0.0/8"] : ["--allow-network", "127.0.0.0/8", "--database-url", databaseUrl],
    });

    /// <summary>Applies the shared-store configuration, stores the secret and proxies one request; returns the agent token and the upstream.</summary>
    public async Task<(string Token, TestUpstream Upstream)> SeedAsync(BrokerEnvironment broker)
    {
        var upstream = broker.Own(await TestUpstream.StartAsync(broker.UpstreamCa));
        var secrets = Path.Combine(broker.Process.WorkDir, "operations-secrets.json");
        var token = (await broker.ApplyAndGetTokensAsync(JsonNode.Parse(SharedStoreBroker.Config(upstream.Port, secrets))!))["claude"];
        using (var api = broker.Process.CreateApiClient())
        {
            using var put = await api.PutAsync(new Uri("/v1/stores/shared/secrets/api", UriKind.Relative), new StringContent(new JsonObject { ["value"] = Secret }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            put.EnsureSuccessStatusCode();
        }

        await AssertProxiesAsync(broker, upstream, token, "/echo/seed");
        await broker.WaitForLogAsync(r => r.GetRawText().Contains("/echo/seed", StringComparison.Ordinal), "/echo/seed");
        return (token, upstream);
    }

    /// <summary>One request through <paramref name="broker"/> as the agent: the upstream must see the real secret.</summary>
    public static async Task AssertProxiesAsync(BrokerEnvironment broker, TestUpstream upstream, string token, string path)
    {
        var result = await ClientProcess.RunAsync("curl", [
            "-sS", "--proxy", broker.ProxyUrl(token), "--cacert", broker.CaPath, "-H", "Authorization: Bearer agent-dummy", $"https://api.upstream.test:{upstream.Port}{path}"]);
        Assert.True(result.StdOut.Contains("\"authorization\":\"Bearer " + Secret + "\"", StringComparison.Ordinal), $"{result}\n--- broker stderr\n{broker.Process.Stderr}");
    }

    /// <summary>
    /// Puts <paramref name="adminToken"/> into the data directory of a broker started on copied data (which prints no admin token,
    /// as the copied one is in force), so the environment's helpers that run the CLI there can manage it.
    /// </summary>
    public static void AdoptAdminToken(BrokerEnvironment broker, string adminToken)
    {
        var path = Path.Combine(broker.Process.DataDir, "admin.token");
        File.WriteAllText(path, adminToken + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>The CLI as an operator on the broker host: no server address needed, the master password in the environment.</summary>
    public static CliRunner Operator(string? dataDir = null, string? password = MasterPassword) => new(new Dictionary<string, string?>
    {
        ["AGENT_VAULT_MASTER_PASSWORD"] = password,
        ["AGENT_VAULT_DATA_DIR"] = dataDir,
        ["AGENT_VAULT_DATABASE_URL"] = null,
    });

    /// <summary>A fresh PostgreSQL database: its <c>postgres://</c> URL and the test's own connection string to it.</summary>
    public async Task<(string Url, string ConnectionString)> NewDatabaseAsync()
    {
        var name = await postgres.CreateDatabaseAsync();
        return (postgres.UrlFor(name), new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = name }.ConnectionString);
    }
}
