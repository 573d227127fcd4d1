using AgentVault.Broker.Model;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Server;
using AgentVault.Broker.Snapshots;
using AgentVault.Broker.Tests.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>Auth scheme instances dropped by a route-table rebuild are disposed once no request can use them any more.</summary>
public sealed class AuthSchemeDisposalTests : IAsyncLifetime
{
    private readonly FakeConfigStateProvider _state = new();
    private readonly DisposableSchemeFactory _factory = new();
    private readonly OutboundClients _outbound = new(new ServerOptions(), NullLoggerFactory.Instance);
    private SnapshotPublisher _provider = null!;

    public Task InitializeAsync()
    {
        _state.Publish(Config("a"), []);
        _provider = new SnapshotPublisher(_state, new FakePluginCatalog([_factory]), _outbound, NullLoggerFactory.Instance, TimeProvider.System);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        _outbound.Dispose();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DroppedScheme_IsDisposedOnlyAfterTheLastRequestOnTheOldTableEnds(bool asyncDisposable)
    {
        _state.Publish(Config("a", asyncDisposable), []);
        var old = Scheme("a", asyncDisposable);
        var lease = _provider.Acquire();

        _state.Publish(Config("b", asyncDisposable), []);
        Assert.Equal(1, _provider.PendingRetirements);
        Assert.Equal(0, old.Disposals);
        Assert.Same(old, lease.Routes.FindVault("dev")!.Services[0].Scheme);
        lease.Release();

        await WaitUntilAsync(() => old.Disposals == 1);
        Assert.Equal(0, Scheme("b", asyncDisposable).Disposals);
    }

    [Fact]
    public async Task UnchangedService_KeepsItsInstanceAcrossRebuilds()
    {
        var first = Scheme("a");
        _state.Publish(Config("a") with { Agents = [new AgentDefinition { Name = "claude", Vaults = ["dev"] }] }, []);

        Assert.Same(first, _provider.Current.Routes.FindVault("dev")!.Services[0].Scheme);
        Assert.Single(_factory.Created);
        await WaitUntilAsync(() => _provider.PendingRetirements == 0);
        Assert.Equal(0, first.Disposals);
    }

    [Fact]
    public async Task SchemesDroppedByLaterRebuilds_WaitForEveryOlderTable()
    {
        var a = Scheme("a");
        var onFirst = _provider.Acquire();
        _state.Publish(Config("b"), []);
        var b = Scheme("b");
        var onSecond = _provider.Acquire();
        _state.Publish(Config("c"), []);

        // Tables 1 and 2 are both still leased: nothing may go yet.
        Assert.Equal(2, _provider.PendingRetirements);
        onFirst.Release();
        await WaitUntilAsync(() => a.Disposals == 1);
        Assert.Equal(1, _provider.PendingRetirements);
        Assert.Equal(0, b.Disposals);
        onSecond.Release();
        await WaitUntilAsync(() => b.Disposals == 1);
        Assert.Equal(0, Scheme("c").Disposals);
    }

    [Fact]
    public async Task ManyRebuildsWithoutRequests_DisposeEveryDroppedInstanceOnce()
    {
        for (var i = 0; i < 20; i++)
        {
            _state.Publish(Config("r" + i), []);
        }

        await WaitUntilAsync(() => _factory.Created.Count(s => s.Disposals == 1) == _factory.Created.Count - 1);
        Assert.All(_factory.Created, s => Assert.InRange(s.Disposals, 0, 1));
        Assert.Equal(0, Scheme("r19").Disposals);
    }

    [Fact]
    public async Task ProviderDisposal_DisposesTheCurrentInstances()
    {
        var current = Scheme("a");

        await _provider.DisposeAsync();

        Assert.Equal(1, current.Disposals);
    }

    private DisposableSchemeFactory.Instance Scheme(string label, bool asyncDisposable = false) =>
        _factory.Created.Single(s => s.Label == label && s.GetType().Name == (asyncDisposable ? "AsyncInstance" : "SyncInstance"));

    private static ConfigDocument Config(string label, bool asyncDisposable = false) => new()
    {
        Vaults =
        [
            new VaultDefinition
            {
                Name = "dev",
                Services =
                [
                    new ServiceDefinition
                    {
                        Name = "api",
                        Host = "api.upstream.test",
                        Auth = new() { ["type"] = "disposable", ["label"] = label, ["async"] = asyncDisposable ? "true" : "false" },
                    },
                ],
            },
        ],
    };

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(10);
        }
    }
}
