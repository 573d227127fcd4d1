using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// An upstream that answers (401, 413) before it has read an 8 MiB upload, through the real broker, seen by curl over
/// HTTP/1.1 and HTTP/2: curl must print the upstream's status, as it does talking to the upstream directly.
/// </summary>
public sealed class EarlyResponseTests(ProxyBrokerFixture fixture) : IClassFixture<ProxyBrokerFixture>, IDisposable
{
    private readonly string _upload = CreateUpload();

    [Theory]
    [InlineData("--http1.1", 401)]
    [InlineData("--http1.1", 413)]
    [InlineData("--http2", 401)]
    [InlineData("--http2", 413)]
    public async Task UpstreamAnswersBeforeReadingTheUpload_CurlGetsThatAnswer(string protocol, int status)
    {
        // "Expect:" turns off curl's 100-continue wait, so the body is on its way when the upstream answers.
        var result = await ClientProcess.RunAsync("curl", [
            "-sS", "--proxy", fixture.ProxyUrlWithCredentials, "--cacert", fixture.BrokerCaPath, protocol,
            "-H", "Expect:", "--data-binary", "@" + _upload, "-o", "/dev/null", "-D", "-", "-w", "\n%{http_code} %{http_version}",
            $"https://api.upstream.test:{fixture.Upstream.Port}/status/{status}"], timeout: TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);
        var summary = result.StdOut.TrimEnd().Split('\n')[^1].Split(' ');
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), summary[0]);
        Assert.Equal(protocol == "--http2" ? "2" : "1.1", summary[1]);
        Assert.DoesNotContain("x-agent-vault-error", result.StdOut, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => File.Delete(_upload);

    private static string CreateUpload()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agent-vault-upload-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, new byte[8 * 1024 * 1024]);
        return path;
    }
}
