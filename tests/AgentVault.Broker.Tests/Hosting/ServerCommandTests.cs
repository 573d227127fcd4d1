using System.CommandLine;
using System.Net;
using AgentVault.Broker.Hosting;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Tests.Hosting;

public sealed class ServerCommandTests
{
    private static ServerOptions? Bind(string[] args, Dictionary<string, string>? environment, out string? error) =>
        ServerFlags.Bind(args, name => environment?.GetValueOrDefault(name), out error);

    private static ServerOptions Bind(string[] args, Dictionary<string, string>? environment = null)
    {
        var options = Bind(args, environment, out var error);
        Assert.Null(error);
        return options!;
    }

    [Fact]
    public void NoFlags_GiveTheDocumentedDefaults()
    {
        var options = Bind([]);

        Assert.Equal("127.0.0.1:14321", options.ApiListen);
        Assert.Equal("127.0.0.1:14322", options.ProxyListen);
        Assert.EndsWith(".agent-vault", options.DataDir, StringComparison.Ordinal);
        Assert.False(options.Dev);
        Assert.Null(options.DatabaseUrl);
        Assert.Equal(100_000, options.LogRetention);
        Assert.Equal("50/s", options.AgentRateLimit);
        Assert.Equal(200, options.AgentBurst);
        Assert.Equal(64, options.AgentMaxInFlight);
    }

    [Fact]
    public void EveryFlag_IsBound()
    {
        var ca = Path.GetTempFileName();
        try
        {
            var options = Bind(
            [
                "--api-listen", "0.0.0.0:0", "--proxy-listen", "[::1]:9000", "--data-dir", "/tmp/av-data", "--plugins-dir", "/tmp/av-plugins",
                "--database-url", "sqlite:/tmp/x.db", "--upstream-ca", ca, "--resolve", "api.upstream.test:127.0.0.1", "--resolve", "v6.test:[::1]",
                "--allow-network", "10.1.0.0/16", "--allow-network", "fd00::/8", "--dev", "--password-stdin", "--public-proxy-url", "http://proxy.example:8080/",
                "--log-retention", "500", "--agent-rate-limit", "600/min", "--agent-burst", "20", "--agent-max-in-flight", "8",
            ]);

            Assert.Equal("0.0.0.0:0", options.ApiListen);
            Assert.Equal("[::1]:9000", options.ProxyListen);
            Assert.Equal("/tmp/av-data", options.DataDir);
            Assert.Equal("/tmp/av-plugins", options.PluginsDir);
            Assert.Equal("sqlite:/tmp/x.db", options.DatabaseUrl);
            Assert.Equal([ca], options.UpstreamCa);
            Assert.Equal(IPAddress.Loopback, options.Resolve["api.upstream.test"]);
            Assert.Equal(IPAddress.IPv6Loopback, options.Resolve["v6.test"]);
            Assert.Equal([IPNetwork.Parse("10.1.0.0/16"), IPNetwork.Parse("fd00::/8")], options.AllowNetwork);
            Assert.True(options.Dev);
            Assert.True(options.PasswordStdin);
            Assert.Equal("http://proxy.example:8080", options.PublicProxyUrl);
            Assert.Equal(500, options.LogRetention);
            Assert.Equal("600/min", options.AgentRateLimit);
            Assert.Equal(20, options.AgentBurst);
            Assert.Equal(8, options.AgentMaxInFlight);
        }
        finally
        {
            File.Delete(ca);
        }
    }

    [Fact]
    public void EnvironmentVariables_FillWhatFlagsDoNotAndFlagsWin()
    {
        var environment = new Dictionary<string, string>
        {
            ["AGENT_VAULT_API_LISTEN"] = "127.0.0.1:1111",
            ["AGENT_VAULT_PROXY_LISTEN"] = "127.0.0.1:2222",
            ["AGENT_VAULT_DATA_DIR"] = "/tmp/env-data",
            ["AGENT_VAULT_DEV"] = "true",
            ["AGENT_VAULT_RESOLVE"] = "a.test:127.0.0.2, b.test:::1",
            ["AGENT_VAULT_ALLOW_NETWORK"] = "10.0.0.0/8,192.168.0.0/16",
            ["AGENT_VAULT_LOG_RETENTION"] = "42",
            ["AGENT_VAULT_AGENT_RATE_LIMIT"] = "10/s",
            ["AGENT_VAULT_AGENT_MAX_IN_FLIGHT"] = "3",
        };

        var options = Bind(["--proxy-listen", "127.0.0.1:3333"], environment);

        Assert.Equal("127.0.0.1:1111", options.ApiListen);
        Assert.Equal("127.0.0.1:3333", options.ProxyListen);
        Assert.Equal("/tmp/env-data", options.DataDir);
        Assert.True(options.Dev);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), options.Resolve["a.test"]);
        Assert.Equal(IPAddress.IPv6Loopback, options.Resolve["b.test"]);
        Assert.Equal(2, options.AllowNetwork.Count);
        Assert.Equal(42, options.LogRetention);
        Assert.Equal("10/s", options.AgentRateLimit);
        Assert.Equal(10, options.AgentBurst);
        Assert.Equal(3, options.AgentMaxInFlight);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    public void DevFromEnvironment_AcceptsOneTrueZeroFalse(string value, bool expected)
    {
        Assert.Equal(expected, Bind([], new Dictionary<string, string> { ["AGENT_VAULT_DEV"] = value }).Dev);
    }

    [Theory]
    [InlineData("api.test:127.0.0.1", "api.test", "127.0.0.1")]
    [InlineData("api.test:::1", "api.test", "::1")]
    [InlineData("api.test:[2001:db8::1]", "api.test", "2001:db8::1")]
    [InlineData("API.Test:10.0.0.1", "api.test", "10.0.0.1")]
    public void Resolve_TakesEverythingAfterTheFirstColonAsTheAddress(string entry, string host, string address)
    {
        var (parsedHost, parsedAddress) = ServerOptionsBinder.ParseResolve(entry);

        Assert.Equal(host, parsedHost);
        Assert.Equal(IPAddress.Parse(address), parsedAddress);
    }

    [Theory]
    [InlineData("--api-listen", "nope", "--api-listen")]
    [InlineData("--api-listen", "127.0.0.1:70000", "invalid port")]
    [InlineData("--proxy-listen", "[::1:80", "--proxy-listen")]
    [InlineData("--resolve", "api.test", "--resolve")]
    [InlineData("--resolve", "api.test:not-an-ip", "--resolve")]
    [InlineData("--resolve", ":127.0.0.1", "--resolve")]
    [InlineData("--allow-network", "10.0.0.0/33", "--allow-network")]
    [InlineData("--allow-network", "banana", "--allow-network")]
    [InlineData("--allow-network", "10.0.0.1/8", "host bits")]
    [InlineData("--log-retention", "-1", "--log-retention")]
    [InlineData("--log-retention", "lots", "--log-retention")]
    [InlineData("--public-proxy-url", "ftp://x", "--public-proxy-url")]
    [InlineData("--database-url", "mysql://db", "--database-url")]
    [InlineData("--upstream-ca", "/nonexistent/ca.pem", "--upstream-ca")]
    [InlineData("--agent-rate-limit", "fast", "--agent-rate-limit")]
    [InlineData("--agent-rate-limit", "0/s", "--agent-rate-limit")]
    [InlineData("--agent-rate-limit", "10/day", "--agent-rate-limit")]
    [InlineData("--agent-burst", "0", "--agent-burst")]
    [InlineData("--agent-max-in-flight", "-2", "--agent-max-in-flight")]
    [InlineData("--agent-max-in-flight", "many", "--agent-max-in-flight")]
    public void BadValue_IsOneReadableError(string flag, string value, string expected)
    {
        var options = Bind([flag, value], null, out var error);

        Assert.Null(options);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error!);
    }

    [Fact]
    public void BadEnvironmentValue_NamesTheVariable()
    {
        var options = Bind([], new Dictionary<string, string> { ["AGENT_VAULT_DEV"] = "maybe" }, out var error);

        Assert.Null(options);
        Assert.Contains("AGENT_VAULT_DEV", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_BadValue_ExitsWithTwoAndOneLineOnStderr()
    {
        var stderr = new StringWriter();
        var root = new RootCommand { ServerCommandFactory.Create(new ServerConsole(TextWriter.Null, stderr, TextReader.Null), _ => null) };

        var exit = await root.Parse(["server", "--resolve", "broken"]).InvokeAsync();

        Assert.Equal(2, exit);
        Assert.Single(stderr.ToString().TrimEnd().Split('\n'));
        Assert.StartsWith("agent-vault server: --resolve", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentVariableNames_FollowTheFlagNames()
    {
        var flags = new ServerCommandOptions();

        Assert.Equal(
            ["AGENT_VAULT_API_LISTEN", "AGENT_VAULT_PROXY_LISTEN", "AGENT_VAULT_DATA_DIR", "AGENT_VAULT_PLUGINS_DIR", "AGENT_VAULT_PLUGINS_LOCK", "AGENT_VAULT_DATABASE_URL", "AGENT_VAULT_UPSTREAM_CA",
             "AGENT_VAULT_RESOLVE", "AGENT_VAULT_ALLOW_NETWORK", "AGENT_VAULT_DEV", "AGENT_VAULT_PASSWORD_STDIN", "AGENT_VAULT_PUBLIC_PROXY_URL", "AGENT_VAULT_PUBLIC_API_URL", "AGENT_VAULT_LOG_RETENTION",
             "AGENT_VAULT_LOG_LEVEL", "AGENT_VAULT_LOG_FORMAT", "AGENT_VAULT_OTLP_ENDPOINT", "AGENT_VAULT_AUDIT_SINK", "AGENT_VAULT_AGENT_RATE_LIMIT", "AGENT_VAULT_AGENT_BURST", "AGENT_VAULT_AGENT_MAX_IN_FLIGHT", "AGENT_VAULT_OIDC_ISSUER", "AGENT_VAULT_OIDC_CLIENT_ID",
             "AGENT_VAULT_OIDC_CLIENT_SECRET"],
            flags.All.Select(ServerCommandOptions.EnvironmentVariableOf));
    }
}
