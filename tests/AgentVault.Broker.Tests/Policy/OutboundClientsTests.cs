using System.Net;
using System.Security.Authentication;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Server;
using AgentVault.Testing.Upstream;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Policy;

/// <summary>
/// The guarded connect callback and TLS trust of the outbound stack, against real loopback servers. A broken guard would
/// dial 10.0.0.1 or 169.254.169.254: run these inside a loopback-only network namespace (scripts/test.sh does).
/// </summary>
public sealed class OutboundClientsTests
{
    private static OutboundClients Create(Action<ServerOptions>? configure = null)
    {
        var options = new ServerOptions();
        configure?.Invoke(options);
        return new OutboundClients(options, NullLoggerFactory.Instance);
    }

    private static async Task<Exception> FailAsync(HttpMessageInvoker invoker, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(request, CancellationToken.None));
    }

    [Theory]
    [InlineData("api.internal.test", "10.0.0.1", "Private")]
    [InlineData("api.internal.test", "127.0.0.1", "Loopback")]
    [InlineData("metadata.test", "169.254.169.254", "Metadata")]
    [InlineData("mapped.test", "::ffff:192.168.0.1", "Private")]
    public async Task ResolvePinIntoBlockedRange_IsRefusedBeforeDialing(string host, string address, string category)
    {
        using var clients = Create(o => o.Resolve[host] = IPAddress.Parse(address));

        var ex = await FailAsync(clients.Upstream, $"https://{host}/");

        var blocked = DestinationBlockedException.Find(ex);
        Assert.NotNull(blocked);
        Assert.Equal(category, blocked.Category);
        Assert.Equal(host, blocked.Host);
        Assert.DoesNotContain(address, blocked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NameResolvingToLoopback_IsRefusedWithoutDev()
    {
        await using var upstream = await TestUpstream.StartAsync(ca: null);
        using var clients = Create();

        var ex = await FailAsync(clients.Upstream, $"http://localhost:{upstream.Port}/");

        Assert.Equal("Loopback", DestinationBlockedException.Find(ex)?.Category);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[fd00:ec2::254]/")]
    [InlineData("http://100.100.100.200/")]
    public async Task MetadataAddress_IsRefusedEvenWithDevAndAllowNetwork(string url)
    {
        using var clients = Create(o =>
        {
            o.Dev = true;
            o.AllowNetwork.Add(IPNetwork.Parse("0.0.0.0/0"));
            o.AllowNetwork.Add(IPNetwork.Parse("::/0"));
        });

        var ex = await FailAsync(clients.Upstream, url);

        Assert.Equal("Metadata", DestinationBlockedException.Find(ex)?.Category);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, "127.0.0.0/8")]
    public async Task LoopbackOpenedByDevOrAllowNetwork_IsReachedAndRedirectsAreReturned(bool dev, string? allow)
    {
        await using var upstream = await TestUpstream.StartAsync(ca: null);
        using var clients = Create(o =>
        {
            o.Dev = dev;
            if (allow is not null)
            {
                o.AllowNetwork.Add(IPNetwork.Parse(allow));
            }
        });

        using var ok = await clients.Upstream.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{upstream.Port}/"), CancellationToken.None);
        using var redirect = await clients.Upstream.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{upstream.Port}/redirect"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
    }

    [Fact]
    public async Task PluginClient_HasNoSsrfGuardButHonoursPinsAndDoesNotFollowRedirects()
    {
        await using var upstream = await TestUpstream.StartAsync(ca: null);
        using var clients = Create(o => o.Resolve["vault.internal.test"] = IPAddress.Loopback);

        var body = await clients.Plugins.GetStringAsync(new Uri($"http://vault.internal.test:{upstream.Port}/"));
        using var redirect = await clients.Plugins.GetAsync(new Uri($"http://localhost:{upstream.Port}/redirect"));

        Assert.Contains("\"path\":\"/\"", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
    }

    [Fact]
    public async Task UpstreamSignedByUpstreamCa_IsTrusted()
    {
        using var ca = new TestCertificateAuthority();
        await using var upstream = await TestUpstream.StartAsync(ca, ["api.upstream.test"]);
        using var clients = Create(o =>
        {
            o.Resolve["api.upstream.test"] = IPAddress.Loopback;
            o.AllowNetwork.Add(IPNetwork.Parse("127.0.0.0/8"));
            o.UpstreamCa.Add(ca.PemPath);
        });

        using var response = await clients.Upstream.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"https://api.upstream.test:{upstream.Port}/"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(false, "api.upstream.test")]   // CA not given: untrusted chain
    [InlineData(true, "other.upstream.test")]  // CA given, but the certificate names another host
    public async Task UntrustedOrMisnamedUpstreamCertificate_IsRefused(bool withCa, string requestedHost)
    {
        using var ca = new TestCertificateAuthority();
        await using var upstream = await TestUpstream.StartAsync(ca, ["api.upstream.test"]);
        using var clients = Create(o =>
        {
            o.Resolve[requestedHost] = IPAddress.Loopback;
            o.AllowNetwork.Add(IPNetwork.Parse("127.0.0.0/8"));
            if (withCa)
            {
                o.UpstreamCa.Add(ca.PemPath);
            }
        });

        var ex = await FailAsync(clients.Upstream, $"https://{requestedHost}:{upstream.Port}/");

        Assert.IsType<AuthenticationException>(ex.InnerException);
    }

    [Fact]
    public void MissingUpstreamCaFile_StopsStartup()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Create(o => o.UpstreamCa.Add("/nonexistent/ca.pem")));

        Assert.Contains("--upstream-ca", ex.Message, StringComparison.Ordinal);
    }
}
