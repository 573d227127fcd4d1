using System.Net;
using System.Text;
using System.Text.Json;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>
/// The API listener's own guards: the 4 MiB body cap holds for chunked bodies (413, nothing applied), and an API on
/// loopback answers only loopback <c>Host</c> names and the host of <c>--public-api-url</c> (421 for a DNS-rebinding name).
/// </summary>
public sealed class ApiGuardTests(ITestOutputHelper output) : IAsyncLifetime
{
    private BrokerProcess? _broker;

    private BrokerProcess Broker => _broker!;

    public async Task InitializeAsync() =>
        _broker = await BrokerProcess.StartAsync(new BrokerOptions { Arguments = ["--public-api-url", "https://Vault.Example.Test:8443/"], Log = output.WriteLine });

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task ChunkedApplyOver4MiB_Is413_AndCreatesNothing()
    {
        var type = new string('t', 6 * 1024 * 1024);
        var document = $$"""{ "stores": [{ "name": "huge", "type": "{{type}}" }] }""";
        using var api = Broker.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/apply") { Content = new StringContent(document, Encoding.UTF8, "application/json") };
        request.Headers.TransferEncodingChunked = true;

        using var response = await api.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(body))
        {
            Assert.Equal("request_too_large", problem.RootElement.GetProperty("code").GetString());
        }

        var stores = CliAssert.Ok(await Broker.Cli.RunAsync("store", "list")).Stdout;
        Assert.DoesNotContain("huge", stores, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil.example", "/metrics")]
    [InlineData("evil.example", "/healthz")]
    [InlineData("rebind.attacker.test:{port}", "/v1/ca.pem")]
    [InlineData("localhost.evil.example", "/healthz")]
    public async Task ForeignHostName_IsRefusedWith421(string host, string path)
    {
        using var response = await SendWithHostAsync(host, path);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.MisdirectedRequest, $"{(int)response.StatusCode} {body}");
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("misdirected_request", problem.RootElement.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("localhost:{port}")]
    [InlineData("LOCALHOST")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.8.9.10")]
    [InlineData("[::1]:{port}")]
    [InlineData("agent.localhost:{port}")]
    [InlineData("vault.example.test")]
    [InlineData("vault.example.test:8443")]
    public async Task LoopbackOrPublicApiHostName_IsAnswered(string host)
    {
        using var response = await SendWithHostAsync(host, "/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<HttpResponseMessage> SendWithHostAsync(string host, string path)
    {
        using var client = Broker.CreateApiClient(admin: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host.Replace("{port}", Broker.ApiUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return await client.SendAsync(request);
    }
}
