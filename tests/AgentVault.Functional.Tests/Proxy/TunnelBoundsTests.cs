using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// The work one agent can make the broker do per tunnel is bounded: a leaf certificate is minted only for the CONNECT host
/// (a client hello naming another host fails the handshake), and only once the CONNECT has passed the agent's request
/// rate (an exhausted agent gets 429 at CONNECT, before any TLS). Observed through the broker's debug log of minted leaves.
/// </summary>
public sealed class TunnelBoundsTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private TestUpstream? _upstream;
    private BrokerEnvironment? _broker;
    private Dictionary<string, string> _tokens = [];

    private BrokerEnvironment Broker => _broker!;

    private int Port => _upstream!.Port;

    public async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "Tunnel Bounds Upstream CA",
            Hosts = ["a.upstream.test", "b.upstream.test"],
            Arguments = ["--log-level", "debug"],
        });
        _upstream = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa));
        await Broker.PutSecretsAsync(("api", "sk-bounds-secret"));
        _tokens = await Broker.ApplyAndGetTokensAsync($$"""
            vaults:
              - name: dev
                credentials: { API_KEY: "local:api" }
                services:
                  - { name: a, host: "a.upstream.test:{{Port}}", auth: { type: bearer, token: API_KEY } }
                  - { name: b, host: "b.upstream.test:{{Port}}", auth: { type: bearer, token: API_KEY } }
            agents:
              - { name: claude, vaults: [dev] }
              - { name: oneshot, vaults: [dev], rate_limit: 1/min }
            """);
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task SniNamingAnotherHost_FailsTheHandshake_AndMintsNothingForIt()
    {
        using (var tunnel = await ConnectAsync(_tokens["claude"], "a.upstream.test"))
        {
            Assert.StartsWith("HTTP/1.1 200", tunnel.Status, StringComparison.Ordinal);
            await using var tls = new SslStream(tunnel.Stream, leaveInnerStreamOpen: true, (_, certificate, _, errors) => TestCertificateAuthority.ValidateWithRoot(Broker.Ca, certificate, errors));
            using var timeout = new CancellationTokenSource(Deadline);
            var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "b.upstream.test" }, timeout.Token);
            var failure = await Record.ExceptionAsync(() => handshake);
            Assert.True(failure is AuthenticationException or IOException, $"the handshake for b.upstream.test inside a tunnel to a.upstream.test succeeded: {failure}");
        }

        // The tunnel's own host still works, with SNI and without a mismatch.
        using (var tunnel = await ConnectAsync(_tokens["claude"], "a.upstream.test"))
        {
            await using var tls = new SslStream(tunnel.Stream, leaveInnerStreamOpen: true, (_, certificate, _, errors) => TestCertificateAuthority.ValidateWithRoot(Broker.Ca, certificate, errors));
            using var timeout = new CancellationTokenSource(Deadline);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "A.Upstream.Test" }, timeout.Token);
            Assert.Contains("a.upstream.test", tls.RemoteCertificate!.Subject, StringComparison.Ordinal);
        }

        Assert.Contains("Minted a leaf certificate for a.upstream.test", Broker.Process.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Minted a leaf certificate for b.upstream.test", Broker.Process.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExhaustedAgent_Gets429AtConnect_BeforeAnyCertificateIsMinted()
    {
        // oneshot: rate_limit 1/min. Its first tunnel takes the token at CONNECT and its request uses it.
        var first = CurlResponse.Parse(await Broker.CurlAsync(_tokens["oneshot"], [.. CurlResponse.Arguments, $"https://a.upstream.test:{Port}/echo/first"]));
        Assert.True(first.Status == 200, first.ToString());

        using var tunnel = await ConnectAsync(_tokens["oneshot"], "b.upstream.test");

        Assert.StartsWith("HTTP/1.1 429", tunnel.Status, StringComparison.Ordinal);
        Assert.Contains("X-Agent-Vault-Error: rate_limited", tunnel.Head, StringComparison.OrdinalIgnoreCase);
        Assert.Matches("(?im)^retry-after: [1-9][0-9]*\r?$", tunnel.Head);
        Assert.DoesNotContain("Minted a leaf certificate for b.upstream.test", Broker.Process.Stderr, StringComparison.Ordinal);

        // Other agents are not affected.
        var other = CurlResponse.Parse(await Broker.CurlAsync(_tokens["claude"], [.. CurlResponse.Arguments, $"https://b.upstream.test:{Port}/echo/other"]));
        Assert.True(other.Status == 200, other.ToString());
    }

    /// <summary>A raw <c>CONNECT host:PORT</c> with the agent's token; returns the connected stream and the proxy's answer head.</summary>
    private async Task<RawTunnel> ConnectAsync(string token, string host)
    {
        var client = new TcpClient();
        await client.ConnectAsync(Broker.Process.ProxyUri.Host, Broker.Process.ProxyUri.Port);
        var stream = client.GetStream();
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes(token + ":dev"));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"CONNECT {host}:{Port} HTTP/1.1\r\nHost: {host}:{Port}\r\nProxy-Authorization: Basic {credentials}\r\n\r\n"));
        var head = new StringBuilder();
        using var timeout = new CancellationTokenSource(Deadline);
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one, timeout.Token) == 1)
        {
            head.Append((char)one[0]);
        }

        return new RawTunnel(client, stream, head.ToString());
    }

    private sealed class RawTunnel(TcpClient client, NetworkStream stream, string head) : IDisposable
    {
        public NetworkStream Stream { get; } = stream;

        public string Head { get; } = head;

        public string Status => Head.Split("\r\n")[0];

        public void Dispose() => client.Dispose();
    }
}
