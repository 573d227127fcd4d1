using System.Text.Json.Nodes;
using AgentVault.Broker.Model;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Security;
using AgentVault.Broker.Tests.Proxy;
using AgentVault.Broker.Tests.Secrets;

namespace AgentVault.Broker.Tests.Snapshots;

/// <summary>
/// The publisher is the one subscriber to configuration changes: it compiles the snapshot (tokens, limits, bindings, routes),
/// rebuilds the stores, then swaps, and no step's failure skips another. Wired with the real store registry and resolver.
/// </summary>
public sealed class SnapshotStepsTests : IAsyncLifetime
{
    private const string Token = "av_test_token";

    private readonly DisposableSchemeFactory _schemes = new();
    private SecretsHarness _h = null!;

    public Task InitializeAsync()
    {
        _h = new SecretsHarness(scheme: _schemes);
        _h.Store("s").Set("one", "value-one");
        _h.Store("s").Set("two", "value-two");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task StoreFactoryThrowingOnCreate_DoesNotStopTokensBindingsOrRoutesOfTheSameChange()
    {
        var config = Config("a", "s:one", Store("s"), Store("broken", new JsonObject { ["explode"] = "yes" }));
        config.Vaults![0].Credentials!["OTHER"] = new CredentialDefinition { Ref = "broken:x" };

        _h.State.Publish(config, [AgentToken()]);

        var snapshot = _h.Publisher.Current;
        Assert.Equal(_h.State.Current.Version, snapshot.Version);
        Assert.NotNull(snapshot.Tokens.Find(TokenHasher.Hash(Token)));
        Assert.Equal("a", Label(snapshot.Routes.FindVault("dev")!.Services[0]));
        Assert.Equal(2, snapshot.Bindings.ByVault["dev"].Count);
        Assert.Null(_h.Registry.Find("broken", out var reason));
        Assert.Contains("boom while creating", reason, StringComparison.Ordinal);
        Assert.Equal("value-one", await _h.Resolver.ResolveAsync("dev", "API_KEY", CancellationToken.None));
    }

    [Fact]
    public async Task UnexpectedStoreRebuildFailure_IsContainedAndTheSnapshotStillSwaps()
    {
        _h.State.Publish(Config("a", "s:one", Store("s", new JsonObject { ["n"] = 1 })), []);
        _h.Registry.StoreRetired += (_, _) => throw new InvalidOperationException("listener bug");

        _h.State.Publish(Config("b", "s:two", Store("s", new JsonObject { ["n"] = 2 })), []);

        var snapshot = _h.Publisher.Current;
        Assert.Equal(_h.State.Current.Version, snapshot.Version);
        Assert.Equal("b", Label(snapshot.Routes.FindVault("dev")!.Services[0]));
        Assert.Equal("value-two", await _h.Resolver.ResolveAsync("dev", "API_KEY", CancellationToken.None));
    }

    [Fact]
    public async Task StoresAreRebuiltBeforeTheSwap_SoNewBindingsFindNewStores()
    {
        _h.State.Publish(Config("a", "s:one", Store("s", new JsonObject { ["n"] = 1 })), []);
        var before = _h.Publisher.Current.Version;
        var replacement = new FakeSecretStore();
        replacement.Set("two", "from-the-new-store");
        _h.Factory.Stores["s"] = replacement;
        long? currentWhileStoresChanged = null;
        _h.Registry.StoreRetired += (_, _) => currentWhileStoresChanged = _h.Publisher.Current.Version;

        _h.State.Publish(Config("a", "s:two", Store("s", new JsonObject { ["n"] = 2 })), []);

        Assert.Equal(before, currentWhileStoresChanged);
        Assert.Equal(_h.State.Current.Version, _h.Publisher.Current.Version);
        Assert.Equal("from-the-new-store", await _h.Resolver.ResolveAsync("dev", "API_KEY", CancellationToken.None));
    }

    [Fact]
    public async Task LeasedSnapshot_BindingsAndRoutesComeFromTheSameVersion()
    {
        _h.State.Publish(Config("a", "s:one", Store("s")), [AgentToken()]);
        var lease = _h.Publisher.Acquire();

        _h.State.Publish(Config("b", "s:two", Store("s")), [AgentToken()]);

        Assert.Equal(lease.Version, lease.Routes.Version);
        Assert.Equal(lease.Version, lease.Tokens.Version);
        Assert.Equal("a", Label(lease.Routes.FindVault("dev")!.Services[0]));
        Assert.Equal("value-one", await _h.Resolver.ResolveAsync(lease.Bindings, "dev", "API_KEY", CancellationToken.None));
        Assert.Equal("b", Label(_h.Publisher.Current.Routes.FindVault("dev")!.Services[0]));
        Assert.Equal("value-two", await _h.Resolver.ResolveAsync("dev", "API_KEY", CancellationToken.None));
        lease.Release();
    }

    [Fact]
    public void StaleVersion_IsNotApplied()
    {
        var old = Config("a", "s:one", Store("s"));
        _h.State.Publish(old, []);
        var stale = _h.State.Current;
        _h.State.Publish(Config("b", "s:two", Store("s"), Store("t")), []);
        var current = _h.Publisher.Current;

        Assert.True(_h.Publisher.Publish(stale));

        Assert.Same(current, _h.Publisher.Current);
        Assert.NotNull(_h.Registry.Find("t", out _));
        Assert.Equal("s:two", _h.Publisher.Bindings.ByKey[("dev", "API_KEY")].Reference!.ToString());
    }

    [Fact]
    public void SnapshotThatCannotBeBuilt_KeepsThePreviousOneButStillRebuildsTheStores()
    {
        _h.State.Publish(Config("a", "s:one", Store("s")), []);
        var before = _h.Publisher.Current;

        _h.State.Publish(Config("explode", "t:one", Store("s"), Store("t")), []);

        Assert.Same(before, _h.Publisher.Current);
        Assert.Equal("s:one", _h.Publisher.Bindings.ByKey[("dev", "API_KEY")].Reference!.ToString());
        Assert.NotNull(_h.Registry.Find("t", out _));
    }

    private static ConfigDocument Config(string label, string reference, params StoreDefinition[] stores) => new()
    {
        Stores = [.. stores],
        Agents = [new AgentDefinition { Name = "claude", Vaults = ["dev"] }],
        Vaults =
        [
            new VaultDefinition
            {
                Name = "dev",
                Credentials = new Dictionary<string, CredentialDefinition> { ["API_KEY"] = new() { Ref = reference } },
                Services = [new ServiceDefinition { Name = "api", Host = "api.upstream.test", Auth = new() { ["type"] = "disposable", ["label"] = label } }],
            },
        ],
    };

    private static StoreDefinition Store(string name, JsonObject? settings = null) => SecretsHarness.FakeStore(name, settings: settings);

    private static TokenRecord AgentToken() => new()
    {
        Id = "tok_claude",
        Hash = TokenHasher.Hash(Token),
        Agent = "claude",
        Kind = TokenRecord.AgentKind,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static string Label(Broker.Routing.ServiceRoute route) => ((DisposableSchemeFactory.Instance)route.Scheme!).Label;
}
