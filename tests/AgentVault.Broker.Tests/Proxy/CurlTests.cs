using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

public sealed class CurlTests(ProxyFixture fixture) : IClassFixture<ProxyFixture>
{
    [Theory]
    [InlineData("--http1.1", "1.1")]
    [InlineData("--http2", "2")]
    public async Task Curl_ThroughTunnel_UpstreamGetsCredential(string versionFlag, string expectedVersion)
    {
        await using var broker = await ProxyHarness.StartAsync(fixture.UpstreamCa, ProxyHarness.DefaultConfig(fixture.Upstream.Port));
        var result = await ClientProcess.RunAsync("curl", [
            "-sS", versionFlag, "--proxy", broker.ProxyUri.ToString(), "--proxy-user", ProxyHarness.Token + ":dev",
            "--cacert", broker.BrokerCa.PemPath, "-H", "Authorization: Bearer fake",
            "-w", "\n%{http_version}", fixture.Upstream.BaseUri() + "echo/curl"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.TrimEnd().Split('\n');
        Assert.Equal(expectedVersion, lines[^1]);
        Assert.Contains("\"authorization\":\"Bearer " + ProxyHarness.Secret + "\"", lines[0], StringComparison.Ordinal);
    }
}
