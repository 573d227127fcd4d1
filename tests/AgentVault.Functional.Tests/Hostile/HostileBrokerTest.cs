using System.Text;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using Xunit;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// A real broker process with one bearer service and two agents: <c>attacker</c>, whose connections misbehave, and
/// <c>agent</c>, a well-behaved agent that <see cref="UnderAttackAsync"/> keeps busy during each attack. After the attack the
/// broker must hold no more descriptors than before it. Latencies and resources are printed for the closing note, never
/// asserted.
/// </summary>
public abstract class HostileBrokerTest : IAsyncLifetime
{
    protected const string Host = "a.upstream.test";
    protected static readonly TimeSpan CutOffDeadline = TimeSpan.FromSeconds(90);
    private BrokerEnvironment? _broker;
    private TestUpstream? _upstream;
    private string _agent = string.Empty;

    protected HostileBrokerTest(ITestOutputHelper output) => Output = output;

    protected ITestOutputHelper Output { get; }

    protected BrokerEnvironment Broker => _broker!;

    protected TestUpstream Upstream => _upstream!;

    protected string Authority => $"{Host}:{Upstream.Port}";

    protected string Attacker { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Hostile Clients Upstream CA", Hosts = [Host] });
        _upstream = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa));
        await Broker.PutSecretsAsync(("api", "sk-hostile-secret"));
        var tokens = await Broker.ApplyAndGetTokensAsync($$"""
            vaults:
              - name: dev
                credentials: { API_KEY: "local:api" }
                services:
                  - { name: a, host: "{{Authority}}", auth: { type: bearer, token: API_KEY } }
            agents:
              - { name: agent, vaults: [dev] }
              - { name: attacker, vaults: [dev] }
            """);
        _agent = tokens["agent"];
        Attacker = tokens["attacker"];
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    /// <summary>A tunnel of the attacker: CONNECT answered 200, then TLS with <paramref name="alpn"/>.</summary>
    protected async Task<RawProxyClient> OpenTunnelAsync(string alpn = "http/1.1")
    {
        var client = await RawProxyClient.ConnectAsync(Broker.ProxyUri);
        Assert.Equal(200, (await client.ConnectAsync(Authority, Credentials(Attacker))).Status);
        await client.StartTlsAsync(Host, (certificate, errors) => TestCertificateAuthority.ValidateWithRoot(Broker.Ca, certificate, errors), alpn);
        return client;
    }

    /// <summary>
    /// An HTTP/2 tunnel of the attacker in which one well-formed request (stream 1) has been answered, so that what the broker
    /// does with the abuse that follows is about the abuse and not about a frame this test got wrong.
    /// </summary>
    private protected async Task<(RawProxyClient Tunnel, Http2FrameReader Frames)> OpenHttp2TunnelAsync()
    {
        var tunnel = await OpenTunnelAsync("h2");
        await tunnel.Stream.WriteAsync(Http2Frames.Preface);
        await tunnel.Stream.WriteAsync(Http2Frames.EmptySettings());
        await tunnel.Stream.WriteAsync(Http2Frames.Frame(Http2Frames.Headers, Http2Frames.EndStream | Http2Frames.EndHeaders, 1,
            Http2Frames.RequestBlock("GET", Authority, "/well-formed")));
        var frames = new Http2FrameReader(tunnel.Stream);
        Assert.True(await frames.ReadUntilAsync(f => f.HeadersReceived > 0, TimeSpan.FromSeconds(30)) && frames.HeadersReceived == 1,
            $"the well-formed request was not answered: {frames}");
        return (tunnel, frames);
    }

    protected static string Credentials(string token) => RawProxyClient.Basic(token, "dev");

    /// <summary>Reads what the broker sends until it closes the connection (which it must do within the deadline).</summary>
    protected static async Task<string> ReadToEndAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(CutOffDeadline);
        var answer = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                answer.Write(buffer, 0, n);
            }
        }
        catch (IOException)
        {
            // A reset after the answer is a close too.
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }

    /// <summary>
    /// Runs <paramref name="attack"/> while a well-behaved agent makes requests; then requires that every one of the agent's
    /// requests succeeded and that the broker's descriptors come back to where they were before the attack.
    /// </summary>
    protected async Task UnderAttackAsync(Func<Task> attack)
    {
        using var client = Broker.CreateClient(_agent);
        var target = new Uri($"https://{Authority}/probe/");
        (await client.GetAsync(target)).EnsureSuccessStatusCode();
        var before = ProcessStats.Read(Broker.Process.ProcessId);
        await using var probe = new AgentProbe(client, target);
        probe.Start();
        await attack();
        Output.WriteLine("agent during the attack: " + await probe.StopAsync());
        Assert.True(probe.Failures.Count == 0, string.Join("\n", probe.Failures.Take(10)));
        Assert.True(probe.Requests > 0, "the agent made no request during the attack");

        var after = ProcessStats.Read(Broker.Process.ProcessId);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (after.OpenFiles > before.OpenFiles + 4 && DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            after = ProcessStats.Read(Broker.Process.ProcessId);
        }

        var figures = $"before: {Describe(before)}; after: {Describe(after)}";
        Output.WriteLine("broker " + figures);
        Assert.True(after.OpenFiles <= before.OpenFiles + 4, "the broker holds descriptors the attack opened: " + figures);
    }

    private static string Describe(ProcessStats stats) => $"{stats.OpenFiles} descriptors, {stats.RssKiB / 1024} MiB resident, {stats.Threads} threads";
}
