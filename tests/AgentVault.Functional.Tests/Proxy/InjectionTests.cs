using System.Text;
using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>Each built-in scheme and substitution surface through the real broker, checked at the upstream with curl.</summary>
public sealed class InjectionTests(ProxyBrokerFixture fixture) : IClassFixture<ProxyBrokerFixture>
{
    private async Task<(JsonElement Echo, string Raw)> CurlAsync(params string[] args)
    {
        var result = await ClientProcess.RunAsync("curl", [
            "-sS", "--fail-with-body", "--proxy", fixture.ProxyUrlWithCredentials, "--cacert", fixture.BrokerCaPath, .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return (JsonDocument.Parse(result.StdOut).RootElement.Clone(), result.StdOut);
    }

    private string Url(string path) => $"https://api.upstream.test:{fixture.Upstream.Port}{path}";

    public static TheoryData<string, string, string> Schemes => new()
    {
        { "/echo/bearer/x", "authorization", "Bearer " + ProxyBrokerFixture.Secret },
        { "/echo/basic/x", "authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ProxyBrokerFixture.Secret + ":" + ProxyBrokerFixture.BasicPassword)) },
        { "/echo/apikey/x", "x-api-key", ProxyBrokerFixture.Secret },
        { "/echo/custom/x", "x-custom", "Key " + ProxyBrokerFixture.Secret },
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task BuiltInScheme_SetsItsHeaderAndReplacesTheAgentsOwn(string path, string header, string expected)
    {
        var (echo, _) = await CurlAsync("-H", $"{header}: agent-sent-value", Url(path));

        Assert.Equal(expected, echo.GetProperty("headers").GetProperty(header).GetString());
    }

    [Fact]
    public async Task Substitutions_ReplacePlaceholderOnEveryDeclaredSurface()
    {
        var (echo, _) = await CurlAsync("-H", "x-token: __api_key__", "-H", "Content-Type: application/json",
            "--data", "{\"key\":\"__api_key__\"}", Url("/echo/subst/__api_key__?k=__api_key__"));

        Assert.Equal("/echo/subst/" + ProxyBrokerFixture.Secret, echo.GetProperty("path").GetString());
        Assert.Equal("?k=" + ProxyBrokerFixture.Secret, echo.GetProperty("query").GetString());
        Assert.Equal(ProxyBrokerFixture.Secret, echo.GetProperty("headers").GetProperty("x-token").GetString());
        Assert.Equal("{\"key\":\"" + ProxyBrokerFixture.Secret + "\"}", echo.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Refusals_AreProblemsWithoutSecrets_AndNothingSecretIsLogged()
    {
        var metadata = await ClientProcess.RunAsync("curl", ["-sS", "-o", "-", "-w", "\n%{http_code}", "--proxy", fixture.ProxyUrlWithCredentials,
            "--cacert", fixture.BrokerCaPath, "https://private.upstream.test/"]);
        var badToken = await ClientProcess.RunAsync("curl", ["-sS", "-w", "\n%{http_code}", "--proxy", $"http://avt_wrong:dev@{fixture.Broker.ProxyUri.Host}:{fixture.Broker.ProxyUri.Port}",
            "--cacert", fixture.BrokerCaPath, $"http://api.upstream.test:{fixture.Upstream.Port}/echo/x"]);
        await CurlAsync(Url("/echo/bearer/logged"));

        Assert.EndsWith("403", metadata.StdOut.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("destination_blocked", metadata.StdOut, StringComparison.Ordinal);
        Assert.EndsWith("407", badToken.StdOut.TrimEnd(), StringComparison.Ordinal);
        Assert.Contains("proxy_auth_required", badToken.StdOut, StringComparison.Ordinal);
        foreach (var output in new[] { metadata.StdOut, badToken.StdOut, fixture.Broker.Stdout, fixture.Broker.Stderr })
        {
            Assert.DoesNotContain(ProxyBrokerFixture.Secret, output, StringComparison.Ordinal);
            Assert.DoesNotContain(ProxyBrokerFixture.BasicPassword, output, StringComparison.Ordinal);
            Assert.DoesNotContain(fixture.Token, output, StringComparison.Ordinal);
        }
    }
}
