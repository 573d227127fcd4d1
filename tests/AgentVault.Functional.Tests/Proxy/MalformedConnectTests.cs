using System.Net.Sockets;
using System.Text;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// The CONNECT head is read with RFC 9112's grammar and nothing looser: a head another parser could read differently (a NUL
/// in a field name or after the version, a space before a colon, a bare CR, an unknown version) is refused with 400
/// <c>bad_request</c> and opens no tunnel, even with valid credentials. Found by trying the built broker (issue 16): it
/// opened a tunnel for <c>Hos\0t:</c> and for a NUL right after <c>HTTP/1.1</c>.
/// </summary>
public sealed class MalformedConnectTests : IAsyncLifetime
{
    private const string Host = "a.upstream.test";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private TestUpstream? _upstream;
    private BrokerEnvironment? _broker;
    private string _credentials = string.Empty;

    private BrokerEnvironment Broker => _broker!;

    private int Port => _upstream!.Port;

    public async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Malformed Connect Upstream CA", Hosts = [Host] });
        _upstream = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa));
        await Broker.PutSecretsAsync(("api", "sk-malformed-secret"));
        var tokens = await Broker.ApplyAndGetTokensAsync($$"""
            vaults:
              - name: dev
                credentials: { API_KEY: "local:api" }
                services:
                  - { name: a, host: "{{Host}}:{{Port}}", auth: { type: bearer, token: API_KEY } }
            agents:
              - { name: claude, vaults: [dev] }
            """);
        _credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(tokens["claude"] + ":dev"));
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task WellFormedHead_OpensTheTunnel()
    {
        var answer = await SendAsync($"CONNECT {Host}:{Port} HTTP/1.1\r\nHost: {Host}:{Port}\r\nProxy-Authorization: Basic {_credentials}\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 ", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NUL in a field name", "CONNECT {authority} HTTP/1.1\r\nHos\0t: {authority}\r\nProxy-Authorization: Basic {credentials}\r\n\r\n")]
    [InlineData("NUL after the version", "CONNECT {authority} HTTP/1.1\0\r\nHost: {authority}\r\nProxy-Authorization: Basic {credentials}\r\n\r\n")]
    [InlineData("NUL in a field value", "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\0\r\nProxy-Authorization: Basic {credentials}\r\n\r\n")]
    [InlineData("space before the colon", "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nProxy-Authorization : Basic {credentials}\r\n\r\n")]
    [InlineData("bare CR in a value", "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\rX-Injected: 1\r\nProxy-Authorization: Basic {credentials}\r\n\r\n")]
    [InlineData("bare LF in a name", "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nX\nY: 1\r\nProxy-Authorization: Basic {credentials}\r\n\r\n")]
    [InlineData("obsolete line folding", "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n folded\r\nProxy-Authorization: Basic {credentials}\r\n\r\n")]
    [InlineData("unknown version", "CONNECT {authority} HTTP/1.9\r\nHost: {authority}\r\nProxy-Authorization: Basic {credentials}\r\n\r\n")]
    [InlineData("lower-case version", "CONNECT {authority} http/1.1\r\nHost: {authority}\r\nProxy-Authorization: Basic {credentials}\r\n\r\n")]
    public async Task MalformedHead_Is400BadRequest_AndOpensNoTunnel(string why, string template)
    {
        var head = template.Replace("{authority}", $"{Host}:{Port}", StringComparison.Ordinal).Replace("{credentials}", _credentials, StringComparison.Ordinal);

        var answer = await SendAsync(head);

        Assert.True(answer.StartsWith("HTTP/1.1 400 ", StringComparison.Ordinal), $"{why}: {answer}");
        Assert.Contains("X-Agent-Vault-Error: bad_request", answer, StringComparison.Ordinal);
    }

    /// <summary>Sends <paramref name="head"/> on a new connection and returns the proxy's answer head.</summary>
    private async Task<string> SendAsync(string head)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Broker.Process.ProxyUri.Host, Broker.Process.ProxyUri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head));
        var answer = new StringBuilder();
        using var timeout = new CancellationTokenSource(Deadline);
        var one = new byte[1];
        while (!answer.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, timeout.Token) == 1)
        {
            answer.Append((char)one[0]);
        }

        return answer.ToString();
    }
}
