using AgentVault.Broker.Cli.Agent;

namespace AgentVault.Broker.Tests.Cli;

public sealed class AgentSessionTests
{
    private static AgentSession Session(string api = "http://broker.internal:14321/", string proxy = "http://broker.internal:14322", string token = "avt_abc", string vault = "dev") =>
        new(new Uri(api), new Uri(proxy), token, vault, new CaFiles("/cache/ca.pem", "/cache/bundle.pem"), "/cache/node-proxy-preload-0123.cjs");

    [Theory]
    [InlineData("avt_abc", "dev", "http://avt_abc:dev@broker.internal:14322")]
    [InlineData("avt_a+b/c=", "my vault", "http://avt_a%2Bb%2Fc%3D:my%20vault@broker.internal:14322")]
    [InlineData("avt_x", "a@b:c", "http://avt_x:a%40b%3Ac@broker.internal:14322")]
    public void ProxyUrl_CarriesEncodedTokenAndVault(string token, string vault, string expected)
    {
        Assert.Equal(expected, Session(token: token, vault: vault).ProxyUrlWithCredentials());
    }

    [Fact]
    public void ProxyUrl_KeepsIPv6Brackets()
    {
        Assert.Equal("http://t:v@[::1]:14322", Session(proxy: "http://[::1]:14322", token: "t", vault: "v").ProxyUrlWithCredentials());
    }

    [Fact]
    public void Environment_HasEveryVariableOfTheSpec()
    {
        var env = Session().EnvironmentVariables().ToDictionary(p => p.Key, p => p.Value);

        foreach (var name in new[] { "HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy", "NO_PROXY", "no_proxy", "NODE_USE_ENV_PROXY", "NODE_OPTIONS", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "AWS_CA_BUNDLE", "DENO_CERT" })
        {
            Assert.True(env.ContainsKey(name), name);
        }

        Assert.Equal("localhost,127.0.0.1,::1,broker.internal", env["NO_PROXY"]);
        Assert.Equal("/cache/bundle.pem", env["SSL_CERT_FILE"]);
        Assert.Equal("/cache/ca.pem", env["NODE_EXTRA_CA_CERTS"]);
    }

    [Theory]
    [InlineData(null, "--require /cache/node-proxy-preload-0123.cjs")]
    [InlineData("", "--require /cache/node-proxy-preload-0123.cjs")]
    [InlineData("--max-old-space-size=4096", "--max-old-space-size=4096 --require /cache/node-proxy-preload-0123.cjs")]
    [InlineData("--require /cache/node-proxy-preload-0123.cjs", "--require /cache/node-proxy-preload-0123.cjs")]
    public void Environment_NodeOptionsAppendsThePreloadToTheCallersValue(string? existing, string expected)
    {
        var env = Session().EnvironmentVariables(existing).ToDictionary(p => p.Key, p => p.Value);

        Assert.Equal(expected, env["NODE_OPTIONS"]);
    }

    [Fact]
    public void ToString_DoesNotShowTheToken()
    {
        Assert.DoesNotContain("avt_abc", Session().ToString(), StringComparison.Ordinal);
    }
}
