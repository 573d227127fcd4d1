using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// The request path through the real broker: forwarded upstream exactly as the agent sent it (an encoded slash in a
/// GitLab-style id is neither decoded nor encoded again), inside a CONNECT tunnel over HTTP/1.1 and HTTP/2 and in
/// absolute form; and a path with a dot segment in any spelling refused with 400 <c>bad_request</c> before anything is
/// sent. Service <c>gitlab</c> allows <c>GET /api/v4/projects/*</c> and <c>GET /api/v4/projects/*/issues</c>; services
/// <c>open</c> and <c>plain</c> (plain HTTP, passthrough) only deny some paths; service <c>scoped</c> covers only
/// <c>/api/**</c> of its host.
/// </summary>
[Collection(PolicyCollection.Name)]
public sealed class EncodedPathTests(PolicyFixture fixture)
{
    // %2F in an id, and spellings a URI library would normalise (%41 is 'A', %7e is '~', lower-case hex).
    private const string GitLabPath = "/api/v4/projects/group%2Fsub%2fproject/issues";
    private const string GitLabQuery = "?labels=a%2Cb&search=%41%7e";

    [Theory]
    [InlineData("gitlab", "--http1.1", "1.1")]
    [InlineData("gitlab", "--http2", "2")]
    [InlineData("open", "--http1.1", "1.1")]
    [InlineData("open", "--http2", "2")]
    public async Task EncodedSlashInsideTheTunnel_ReachesTheUpstreamAsSent(string service, string httpVersion, string expectedVersion)
    {
        var marker = Guid.NewGuid().ToString("N");
        var target = GitLabPath + GitLabQuery + "&m=" + marker;
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--path-as-is", httpVersion, fixture.Url(service, target)]));

        Assert.True(response.Status == 200, response.ToString());
        Assert.Contains("GET " + target, fixture.Upstream.ReceivedTargets);
        Assert.Equal(target, JsonDocument.Parse(response.Body).RootElement.GetProperty("raw_target").GetString());
        Assert.StartsWith($"HTTP/{expectedVersion} 200", response.Head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EncodedSlashInAbsoluteFormHttp_ReachesTheUpstreamAsSent()
    {
        var marker = Guid.NewGuid().ToString("N");
        var target = GitLabPath + GitLabQuery + "&m=" + marker;
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--path-as-is", $"http://plain.upstream.test:{fixture.Upstream.PlainPort}{target}"]));

        Assert.True(response.Status == 200, response.ToString());
        Assert.Contains("GET " + target, fixture.Upstream.ReceivedTargets);
    }

    [Theory]
    [InlineData("gitlab")]
    [InlineData("open")]
    public async Task EncodedSlashInAbsoluteFormHttps_ReachesTheUpstreamAsSent(string service)
    {
        // An https:// absolute-form request (as axios sends through an http proxy): written by hand, since curl tunnels https.
        var marker = Guid.NewGuid().ToString("N");
        var target = GitLabPath + GitLabQuery + "&m=" + marker;
        var head = await SendAbsoluteFormAsync($"https://{service}.upstream.test:{fixture.Upstream.Port}{target}");

        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        Assert.Contains("GET " + target, fixture.Upstream.ReceivedTargets);
    }

    public static TheoryData<string, string> TraversalPaths => new()
    {
        { "gitlab", "/api/v4/projects/x/../issues" },
        { "gitlab", "/api/v4/projects/x/%2e%2e/issues" },
        { "gitlab", "/api/v4/projects/x/%2E./issues" },
        { "gitlab", "/api/v4/projects/x/./issues" },
        { "gitlab", "/api/v4/projects/..%2Fadmin" },
        { "gitlab", "/api/v4/projects/x%2F..%2F..%2Fadmin" },
        { "gitlab", "/api/v4/projects/..%5Cadmin" },
        { "gitlab", "/api/v4/projects/..%5cadmin" },
        { "gitlab", "/api/v4/projects/..;x=1/admin" },
        { "rules", "/repos/a/b/x%2F%2E%2E%2Fhooks" },
        { "open", "/public%2F..%2Fadmin" },
        { "open", "/x/../admin/users" },
        { "scoped", "/api/%2e%2e/admin" },
        { "scoped", "/api/..%2Fadmin" },
        { "scoped", "/api/x/..%5C..%5Cadmin" },
    };

    [Theory]
    [MemberData(nameof(TraversalPaths))]
    public async Task DotSegmentInTheTunnel_IsRefusedWithBadRequest(string service, string path)
    {
        var marker = Guid.NewGuid().ToString("N");
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--path-as-is", fixture.Url(service, path + "?m=" + marker)]));

        AssertBadRequest(response);
        Assert.False(fixture.Upstream.Saw(marker), "a request with a dot segment reached the upstream");
    }

    [Theory]
    [InlineData("/api/group%2Fproject", 200, null)]
    [InlineData("/api%2Fx", 403, "host_not_allowed")]
    [InlineData("/admin", 403, "host_not_allowed")]
    public async Task PathScopedService_MatchesTheSegmentsRulesSee(string path, int status, string? error)
    {
        var marker = Guid.NewGuid().ToString("N");
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--path-as-is", fixture.Url("scoped", path + "?m=" + marker)]));

        Assert.True(response.Status == status, response.ToString());
        Assert.Equal(error, response.Header("X-Agent-Vault-Error"));
        Assert.Equal(error is null, fixture.Upstream.Saw(path + "?m=" + marker));
    }

    [Theory]
    [InlineData("--http2", "/..%2Fadmin")]
    [InlineData("--http2", "/x/%2e%2e/issues")]
    [InlineData("--http1.1", "/x/../issues")]
    public async Task DotSegmentOverEitherVersion_IsRefusedAndLogged(string httpVersion, string tail)
    {
        var marker = Guid.NewGuid().ToString("N");
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--path-as-is", httpVersion, fixture.Url("gitlab", "/api/v4/projects/" + marker + tail)]));

        AssertBadRequest(response);
        Assert.False(fixture.Upstream.Saw(marker));
        var record = await fixture.Broker.WaitForLogAsync(
            r => r.TryGetProperty("path", out var p) && p.GetString()?.Contains(marker, StringComparison.Ordinal) == true, "the refused dot segment");
        Assert.Equal("bad_request", record.GetProperty("error").GetString());
        Assert.Equal(400, record.GetProperty("status").GetInt32());
        Assert.Equal("gitlab.upstream.test", record.GetProperty("host").GetString());
    }

    [Theory]
    [InlineData("/api/v4/projects/..%2Fadmin")]
    [InlineData("/api/v4/projects/x/%2e%2e/admin")]
    public async Task DotSegmentInAbsoluteForm_IsRefusedWithBadRequest(string path)
    {
        var marker = Guid.NewGuid().ToString("N");
        var plain = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token("claude"),
            [.. CurlResponse.Arguments, "--path-as-is", $"http://plain.upstream.test:{fixture.Upstream.PlainPort}{path}?m={marker}"]));
        var head = await SendAbsoluteFormAsync($"https://gitlab.upstream.test:{fixture.Upstream.Port}{path}?m={marker}");

        AssertBadRequest(plain);
        Assert.StartsWith("HTTP/1.1 400", head, StringComparison.Ordinal);
        Assert.Contains("X-Agent-Vault-Error: bad_request", head, StringComparison.OrdinalIgnoreCase);
        Assert.False(fixture.Upstream.Saw(marker));
    }

    private static void AssertBadRequest(CurlResponse response)
    {
        Assert.True(response.Status == 400, response.ToString());
        Assert.Equal("bad_request", response.Header("X-Agent-Vault-Error"));
        Assert.Equal("bad_request", JsonDocument.Parse(response.Body).RootElement.GetProperty("code").GetString());
    }

    /// <summary>Sends <c>GET ABSOLUTE-URI HTTP/1.1</c> to the proxy over plain TCP and returns the response head.</summary>
    private async Task<string> SendAbsoluteFormAsync(string absoluteUri)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var client = new TcpClient();
        await client.ConnectAsync(fixture.Broker.Process.ProxyUri.Host, fixture.Broker.Process.ProxyUri.Port, deadline.Token);
        await using var stream = client.GetStream();
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(fixture.Token("claude") + ":dev"));
        var request = $"GET {absoluteUri} HTTP/1.1\r\nHost: {new Uri(absoluteUri).Authority}\r\nProxy-Authorization: Basic {credentials}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), deadline.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync(deadline.Token);
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? response : response[..end];
    }
}
