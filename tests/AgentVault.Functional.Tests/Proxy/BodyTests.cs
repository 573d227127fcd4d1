using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// Requests with bodies through the real broker with curl: every method that carries one, JSON, form and binary bodies, with
/// Content-Length or chunked, over HTTP/1.1 and HTTP/2, through every header-setting scheme. The upstream must receive the
/// body byte for byte and the injected credential instead of the agent's.
/// </summary>
public sealed class BodyTests(ProxyBrokerFixture fixture) : IClassFixture<ProxyBrokerFixture>
{
    private static readonly string[] Methods = ["POST", "PUT", "PATCH"];
    private static readonly string[] Kinds = ["json", "form", "binary", "json-chunked", "binary-chunked"];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        var services = new[] { "bearer", "basic", "apikey", "custom" };
        var i = 0;
        foreach (var service in services)
        {
            foreach (var kind in Kinds)
            {
                data.Add(service, kind, Methods[i++ % Methods.Length]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BodyThroughScheme_ArrivesIntactWithTheInjectedHeader(string service, string kind, string method)
    {
        var (contentType, body) = Body(kind);
        var file = Path.Combine(fixture.Broker.WorkDir, $"body-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, body);
        var chunked = kind.EndsWith("-chunked", StringComparison.Ordinal);
        var (header, expected) = Injected(service);
        string[] args =
        [
            "-sS", "--fail-with-body", chunked ? "--http1.1" : "--http2", "--proxy", fixture.ProxyUrlWithCredentials, "--cacert", fixture.BrokerCaPath,
            "-X", method, "-H", "Content-Type: " + contentType, "-H", header + ": agent-sent-value", "--data-binary", "@" + file,
            .. chunked ? new[] { "-H", "Transfer-Encoding: chunked" } : [],
            $"https://api.upstream.test:{fixture.Upstream.Port}/echo/{service}/upload",
        ];

        var result = await ClientProcess.RunAsync("curl", args);

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);
        var echo = JsonDocument.Parse(result.StdOut).RootElement;
        var headers = echo.GetProperty("headers");
        Assert.Equal(method, echo.GetProperty("method").GetString());
        Assert.Equal(body.Length, echo.GetProperty("body_length").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), echo.GetProperty("body_sha256").GetString());
        Assert.Equal(contentType, headers.GetProperty("content-type").GetString());
        Assert.Equal(expected, headers.GetProperty(header).GetString());
    }

    [Theory]
    [InlineData("--http1.1")]
    [InlineData("--http2")]
    public async Task LargeChunkedUpload_ArrivesIntact(string protocol)
    {
        var body = RandomNumberGenerator.GetBytes(1024 * 1024 + 17);
        var file = Path.Combine(fixture.Broker.WorkDir, $"large-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(file, body);

        // curl streams the upload from a pipe without knowing its length: chunked on HTTP/1.1, DATA frames without a length on HTTP/2.
        var result = await ClientProcess.RunAsync("sh", ["-c",
            $"cat '{file}' | curl -sS --fail-with-body {protocol} --proxy '{fixture.ProxyUrlWithCredentials}' --cacert '{fixture.BrokerCaPath}' " +
            $"-H 'Content-Type: application/octet-stream' --upload-file - " +
            $"https://api.upstream.test:{fixture.Upstream.Port}/echo/bearer/large"]);

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);
        var echo = JsonDocument.Parse(result.StdOut).RootElement;
        Assert.Equal(body.Length, echo.GetProperty("body_length").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), echo.GetProperty("body_sha256").GetString());
        Assert.Equal("Bearer " + ProxyBrokerFixture.Secret, echo.GetProperty("headers").GetProperty("authorization").GetString());
    }

    private static (string ContentType, byte[] Body) Body(string kind) => kind.Split('-')[0] switch
    {
        "json" => ("application/json", Encoding.UTF8.GetBytes("""{"model":"x","messages":[{"role":"user","content":"héllo \"quoted\" \\ back"}],"n":3,"stream":false}""")),
        "form" => ("application/x-www-form-urlencoded", Encoding.ASCII.GetBytes("grant_type=client_credentials&scope=a%20b&redirect=https%3A%2F%2Fx.test%2F%3Fq%3D1")),
        _ => ("application/octet-stream", BinaryBody()),
    };

    // Every byte value, NULs and invalid UTF-8 included, then random bytes.
    private static byte[] BinaryBody() => [.. Enumerable.Range(0, 256).Select(b => (byte)b), .. RandomNumberGenerator.GetBytes(200_000)];

    private static (string Header, string Value) Injected(string service) => service switch
    {
        "bearer" => ("authorization", "Bearer " + ProxyBrokerFixture.Secret),
        "basic" => ("authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ProxyBrokerFixture.Secret + ":" + ProxyBrokerFixture.BasicPassword))),
        "apikey" => ("x-api-key", ProxyBrokerFixture.Secret),
        _ => ("x-custom", "Key " + ProxyBrokerFixture.Secret),
    };
}
