using System.Net;
using System.Net.WebSockets;
using System.Text;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// The real broker at Trace level, driven through every built-in scheme and substitution surface and every kind of refusal:
/// no secret value and no agent token may appear in its stdout/stderr, in the request log (<c>agent-vault logs --json</c>)
/// or in any error body.
/// </summary>
public sealed class TraceLogSecretTests(TraceBrokerFixture fixture) : IClassFixture<TraceBrokerFixture>
{
    private readonly List<string> _errorBodies = [];

    private string Url(string path) => $"https://api.upstream.test:{fixture.Upstream.Port}{path}";

    [Fact]
    public async Task TraceLevel_AllSchemesSurfacesAndFailures_LeaveNoSecretBehind()
    {
        var proxy = fixture.ProxyUrlWithCredentials;
        foreach (var service in new[] { "bearer", "basic", "apikey", "custom" })
        {
            await CurlAsync(200, proxy, "-H", "Authorization: Bearer agent-dummy", Url($"/echo/{service}/get?x=1"));
            await CurlAsync(200, proxy, "-X", "POST", "-H", "Content-Type: application/json", "--data", "{\"a\":1}", Url($"/echo/{service}/post"));
        }

        await CurlAsync(200, proxy, "-H", "x-token: __api_key__", "-H", "Content-Type: application/json", "--data", "{\"key\":\"__api_key__\"}",
            Url("/echo/subst/__api_key__?k=__api_key__"));
        await CurlAsync(200, proxy, "--http2", "-H", "Content-Type: application/x-www-form-urlencoded", "--data", "k=__api_key__&other=1", Url("/echo/subst/form"));
        await WebSocketRoundTripAsync();

        // Refusals: credential unavailable, bad and missing proxy credentials, unknown host, blocked destination, sent to the proxy.
        var proxyHost = $"{fixture.Broker.ProxyUri.Host}:{fixture.Broker.ProxyUri.Port}";
        var plain = $"http://api.upstream.test:{fixture.Upstream.Port}/echo/x";
        await RefusedAsync(502, "credential_unavailable", proxy, Url("/echo/unavailable/x"));
        await RefusedAsync(407, "proxy_auth_required", $"http://avt_not-a-real-token:dev@{proxyHost}", plain);
        await RefusedAsync(407, "proxy_auth_required", $"http://{proxyHost}", plain);
        await RefusedAsync(404, "vault_not_found", $"http://{fixture.Token}:no-such-vault@{proxyHost}", plain);
        await RefusedAsync(403, "host_not_allowed", proxy, "http://other.upstream.test/x?token=__api_key__");
        await RefusedAsync(403, "destination_blocked", proxy, "https://private.upstream.test/latest/meta-data/");
        var direct = await ClientProcess.RunAsync("curl", ["-sS", "-w", "\n%{http_code}", $"http://{proxyHost}/"]);
        Assert.EndsWith("400", direct.StdOut.TrimEnd(), StringComparison.Ordinal);
        _errorBodies.Add(direct.StdOut);

        // Every request above but the two unauthenticated ones (407s are never request-log records).
        var requestLog = await RequestLogAsync(minimum: 15);

        // The log really was at Trace/Debug (a quiet log would pass the checks below trivially).
        Assert.Contains("dbug: ", fixture.Broker.Stderr, StringComparison.Ordinal);
        Assert.Contains("refused: proxy_auth_required", fixture.Broker.Stderr, StringComparison.Ordinal);

        // ... and the standard Logging__LogLevel__<category> configuration took effect (the framework is at Warning by default).
        Assert.Contains("Microsoft.AspNetCore.Hosting.Diagnostics", fixture.Broker.Stderr, StringComparison.Ordinal);
        var secrets = new[]
        {
            ProxyBrokerFixture.Secret,
            ProxyBrokerFixture.BasicPassword,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(ProxyBrokerFixture.Secret + ":" + ProxyBrokerFixture.BasicPassword)),
            fixture.Token,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(fixture.Token + ":dev")),
        };
        var places = new Dictionary<string, string>
        {
            ["broker stdout"] = fixture.Broker.Stdout,
            ["broker stderr"] = fixture.Broker.Stderr,
            ["request log"] = requestLog,
            ["error bodies"] = string.Join("\n", _errorBodies),
        };
        foreach (var (place, text) in places)
        {
            foreach (var secret in secrets)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a secret or token appears in the {place}");
            }
        }
    }

    private async Task CurlAsync(int status, string proxy, params string[] args) => await RunCurlAsync(status, proxy, args);

    private async Task RefusedAsync(int status, string code, string proxy, string url)
    {
        var body = await RunCurlAsync(status, proxy, [url]);
        _errorBodies.Add(body);
        Assert.Contains($"\"code\":\"{code}\"", body, StringComparison.Ordinal);
    }

    private async Task<string> RunCurlAsync(int status, string proxy, string[] args)
    {
        var result = await ClientProcess.RunAsync("curl", ["-sS", "-w", "\n%{http_code}", "--proxy", proxy, "--cacert", fixture.BrokerCaPath, .. args]);
        Assert.True(result.ExitCode == 0 && result.StdOut.TrimEnd().EndsWith(status.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal),
            $"expected {status} for {string.Join(' ', args)}\n{result}");
        return result.StdOut;
    }

    private async Task WebSocketRoundTripAsync()
    {
        using var socket = new ClientWebSocket();
        socket.Options.Proxy = new WebProxy(fixture.Broker.ProxyUri) { Credentials = new NetworkCredential(fixture.Token, "dev") };
        using var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(fixture.BrokerCaPath));
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TestCertificateAuthority.ValidateWithRoot(ca, certificate, errors);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri($"wss://api.upstream.test:{fixture.Upstream.Port}/ws"), deadline.Token);
        await socket.SendAsync(Encoding.UTF8.GetBytes("hello __api_key__"), WebSocketMessageType.Text, true, deadline.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, deadline.Token);
        Assert.Equal("echo:hello " + ProxyBrokerFixture.Secret, Encoding.UTF8.GetString(buffer, 0, received.Count));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", deadline.Token);
    }

    private async Task<string> RequestLogAsync(int minimum)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var result = await fixture.Broker.Cli.RunAsync("logs", "--json");
            Assert.True(result.ExitCode == 0, result.ToString());
            var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length >= minimum && result.Stdout.Contains("credential_unavailable", StringComparison.Ordinal))
            {
                return result.Stdout;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the request log has {lines.Length} records after 30 s:\n{result.Stdout}");
            await Task.Delay(200);
        }
    }
}
