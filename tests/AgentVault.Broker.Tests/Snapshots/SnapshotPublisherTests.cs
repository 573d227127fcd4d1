using AgentVault.Broker.Model;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Server;
using AgentVault.Broker.Snapshots;
using AgentVault.Broker.Tests.Hosting;
using AgentVault.Broker.Tests.Proxy;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Snapshots;

/// <summary>One publisher builds the whole runtime snapshot before publishing it; a failed build publishes nothing.</summary>
public sealed class SnapshotPublisherTests : IAsyncLifetime
{
    private readonly FakeConfigStateProvider _state = new();
    private readonly DisposableSchemeFactory _factory = new();
    private readonly OutboundClients _outbound = new(new ServerOptions(), NullLoggerFactory.Instance);
    private SnapshotPublisher _publisher = null!;

    public Task InitializeAsync()
    {
        _state.Publish(Config("5/s", "a"), []);
        _publisher = new SnapshotPublisher(_state, new FakePluginCatalog([_factory]), _outbound, NullLoggerFactory.Instance, TimeProvider.System);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _publisher.DisposeAsync();
        _outbound.Dispose();
    }

    [Fact]
    public void Publish_EveryViewComesFromTheSameVersion()
    {
        _state.Publish(Config("7/s", "b"), []);

        var snapshot = _publisher.Current;
        Assert.Equal(_state.Current.Version, snapshot.Version);
        Assert.Equal(snapshot.Version, snapshot.Tokens.Version);
        Assert.Equal(snapshot.Version, snapshot.Routes.Version);
        Assert.Equal(new RateLimitSpec(7, TimeSpan.FromSeconds(1)), snapshot.LimitOf("claude").Rate);
        Assert.Equal(3, snapshot.LimitOf("claude").MaxInFlight);
        Assert.Equal(AgentLimit.Default, snapshot.LimitOf("nobody"));
    }

    [Fact]
    public async Task FailingBuild_KeepsThePreviousSnapshotWholeAndDisposesWhatItCreated()
    {
        var before = _publisher.Current;

        // A new limit, a service whose scheme is created and one whose plugin throws: nothing of it may be published.
        var config = Config("9/s", "a");
        config.Vaults![0].Services!.Insert(0, Service("fresh", "fresh"));
        config.Vaults![0].Services!.Add(Service("broken", "explode"));
        _state.Publish(config, []);

        var after = _publisher.Current;
        Assert.Same(before, after);
        Assert.Equal(new RateLimitSpec(5, TimeSpan.FromSeconds(1)), after.LimitOf("claude").Rate);
        Assert.Equal(["api"], after.Routes.FindVault("dev")!.Services.Select(s => s.Name));
        await WaitUntilAsync(() => _factory.Created.Single(s => s.Label == "fresh").Disposals == 1);
        Assert.Equal(0, _factory.Created.Single(s => s.Label == "a").Disposals);

        // The next good change is published as usual, and the old table's lease still works.
        var lease = _publisher.Acquire();
        _state.Publish(Config("9/s", "a"), []);
        Assert.Equal(_state.Current.Version, _publisher.Current.Version);
        Assert.Same(_factory.Created.Single(s => s.Label == "a"), _publisher.Current.Routes.FindVault("dev")!.Services[0].Scheme);
        lease.Release();
    }

    private static ConfigDocument Config(string rate, string label) => new()
    {
        Agents = [new AgentDefinition { Name = "claude", Vaults = ["dev"], RateLimit = rate, MaxInFlight = 3 }],
        Vaults = [new VaultDefinition { Name = "dev", Services = [Service("api", label)] }],
    };

    private static ServiceDefinition Service(string name, string label) => new()
    {
        Name = name,
        Host = name + ".upstream.test",
        Auth = new() { ["type"] = "disposable", ["label"] = label },
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
