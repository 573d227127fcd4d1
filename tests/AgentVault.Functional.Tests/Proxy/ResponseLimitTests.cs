using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>The 256 MiB response limit through the real broker, seen by curl.</summary>
public sealed class ResponseLimitTests(ProxyBrokerFixture fixture) : IClassFixture<ProxyBrokerFixture>
{
    private const long Limit = 256L * 1024 * 1024;

    private Task<ClientProcess.Result> CurlAsync(params string[] args) => ClientProcess.RunAsync("curl", [
        "-sS", "--proxy", fixture.ProxyUrlWithCredentials, "--cacert", fixture.BrokerCaPath, .. args], timeout: TimeSpan.FromMinutes(3));

    [Fact]
    public async Task DeclaredLengthOverTheLimit_Is502ResponseTooLarge()
    {
        var result = await CurlAsync("-D", "-", "-w", "\n%{http_code}", $"https://api.upstream.test:{fixture.Upstream.Port}/large?bytes={Limit + 1}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.EndsWith("502", result.StdOut.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("x-agent-vault-error: response_too_large", result.StdOut, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"code\":\"response_too_large\"", result.StdOut, StringComparison.Ordinal);
    }

    // HTTP/1.1: the connection closes without the terminating chunk (curl: 18 partial file, or 56 when the close is a reset);
    // HTTP/2: the stream is reset (92).
    [Theory]
    [InlineData("--http1.1", new[] { 18, 56 })]
    [InlineData("--http2", new[] { 92 })]
    public async Task UndeclaredLengthGrowingPastTheLimit_IsCutOff(string protocol, int[] curlExits)
    {
        var result = await CurlAsync(protocol, "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
            $"https://api.upstream.test:{fixture.Upstream.Port}/large?bytes={Limit + (4 << 20)}&chunked=1");

        Assert.True(curlExits.Contains(result.ExitCode), result + "\n" + fixture.Broker.Stderr);
        var parts = result.StdOut.Trim().Split(' ');
        Assert.Equal("200", parts[0]);
        Assert.InRange(long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), 1, Limit);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!fixture.Broker.Stderr.Contains("(response_too_large)", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "no response_too_large line in the server log within 30 s");
            await Task.Delay(50);
        }
    }
}
