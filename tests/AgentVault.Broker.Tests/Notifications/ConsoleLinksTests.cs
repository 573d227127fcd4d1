using AgentVault.Broker.Notifications;
using AgentVault.Broker.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Tests.Notifications;

public sealed class ConsoleLinksTests
{
    [Fact]
    public void PublicApiUrl_IsTheBase()
    {
        var links = new ConsoleLinks(new ServerOptions { PublicApiUrl = "https://vault.example.com/" }, Bound("http://127.0.0.1:40001", "http://127.0.0.1:40002"));

        Assert.Equal("https://vault.example.com/ui/proposals/prp_1", links.For("/ui/proposals/prp_1"));
    }

    [Theory]
    [InlineData("127.0.0.1:0", "127.0.0.1:0", "http://127.0.0.1:40001")]
    [InlineData("127.0.0.1:40002", "127.0.0.1:0", "http://127.0.0.1:40002")]
    [InlineData("127.0.0.1:0", "127.0.0.1:40001", "http://127.0.0.1:40002")]
    public void WithoutPublicUrl_TheApiListenersBoundAddressIsTheBase(string apiListen, string proxyListen, string expected)
    {
        var links = new ConsoleLinks(new ServerOptions { ApiListen = apiListen, ProxyListen = proxyListen }, Bound("http://127.0.0.1:40001", "http://127.0.0.1:40002"));

        Assert.Equal(expected + "/ui/approvals", links.For("/ui/approvals"));
    }

    [Fact]
    public void WildcardListener_ReadsAsLocalhost()
    {
        var links = new ConsoleLinks(new ServerOptions { ApiListen = "*:14321", ProxyListen = "*:14322" }, Bound("http://[::]:14321", "http://[::]:14322"));

        Assert.Equal("http://localhost:14321/ui/notifications", links.For("/ui/notifications"));
    }

    [Fact]
    public void BeforeTheListenersAreBound_TheConfiguredAddressIsUsed_AndNotRemembered()
    {
        var server = Bound();
        var links = new ConsoleLinks(new ServerOptions { ApiListen = "127.0.0.1:14321", ProxyListen = "127.0.0.1:14322" }, server);

        var early = links.For("/ui");
        server.Features.Get<IServerAddressesFeature>()!.Addresses.Add("http://127.0.0.1:14321");

        Assert.Equal("http://127.0.0.1:14321/ui", early);
        Assert.Equal("http://127.0.0.1:14321/ui", links.For("/ui"));
    }

    private static FakeServer Bound(params string[] addresses)
    {
        var feature = new ServerAddressesFeature();
        foreach (var address in addresses)
        {
            feature.Addresses.Add(address);
        }

        var server = new FakeServer();
        server.Features.Set<IServerAddressesFeature>(feature);
        return server;
    }

    private sealed class FakeServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public void Dispose()
        {
        }

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
