using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Server;
using AgentVault.Broker.Snapshots;
using AgentVault.Broker.Tests.Proxy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace AgentVault.Broker.Tests.Secrets;

/// <summary>
/// The Secrets feature wired by hand around a fake store type and a fake clock; configuration changes go through the real
/// snapshot publisher, which builds the bindings and rebuilds the store registry.
/// </summary>
internal sealed class SecretsHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly OutboundClients _outbound = new(new ServerOptions(), NullLoggerFactory.Instance);

    public SecretsHarness(SecretCacheOptions? options = null, IAuthSchemeFactory? scheme = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        Options = options ?? new SecretCacheOptions();
        Factory = new FakeStoreFactory();
        var collection = new ServiceCollection();
        collection.AddSingleton<IReferenceResolver>(_ => Resolver!);
        _services = collection.BuildServiceProvider();
        var catalog = new TestCatalog(Factory)
        {
            AuthSchemes = scheme is null ? new Dictionary<string, IAuthSchemeFactory>() : new Dictionary<string, IAuthSchemeFactory> { [scheme.Name] = scheme },
        };
        Registry = new StoreRegistry(catalog, new ServerOptions { DataDir = Path.GetTempPath() }, _services, NullLoggerFactory.Instance, Time);
        Metrics = new SecretsMetrics(null);
        Cache = new SecretCache(Registry, Time, Options, Metrics, NullLogger<SecretCache>.Instance);
        Publisher = new SnapshotPublisher(State, catalog, _outbound, NullLoggerFactory.Instance, Time, Options, Registry);
        Resolver = new CredentialResolver(Cache, Publisher);
        Checker = new CredentialChecker(Resolver, Cache);
        Hosted = new SecretsHostedService(Cache, Time, NullLogger<SecretsHostedService>.Instance);
    }

    public FakeTimeProvider Time { get; }

    public SecretCacheOptions Options { get; }

    public FakeStoreFactory Factory { get; }

    public FakeConfigStateProvider State { get; } = new();

    public SnapshotPublisher Publisher { get; }

    public StoreRegistry Registry { get; }

    public SecretsMetrics Metrics { get; }

    public SecretCache Cache { get; }

    public CredentialResolver Resolver { get; }

    public CredentialChecker Checker { get; }

    public SecretsHostedService Hosted { get; }

    /// <summary>The fake store instance behind store <paramref name="name"/> (created on first use).</summary>
    public FakeSecretStore Store(string name = "s")
    {
        if (!Factory.Stores.TryGetValue(name, out var store))
        {
            store = new FakeSecretStore { Now = () => Time.GetUtcNow() };
            Factory.Stores[name] = store;
        }

        return store;
    }

    /// <summary>Applies a configuration: stores (name → cache settings) and the credentials of vault <c>v</c>.</summary>
    public void Configure(Dictionary<string, CredentialDefinition> credentials, params StoreDefinition[] stores)
    {
        if (stores.Length == 0)
        {
            stores = [FakeStore("s")];
        }

        foreach (var s in stores)
        {
            _ = Store(s.Name);
        }

        var config = new ConfigDocument
        {
            Stores = [.. stores],
            Vaults = [new VaultDefinition { Name = "v", Credentials = credentials }],
        };
        State.Publish(config, []);
    }

    public void Configure(string key, string reference, string? ttl = null, CacheDefinition? cache = null) =>
        Configure(new Dictionary<string, CredentialDefinition> { [key] = new() { Ref = reference, Ttl = ttl } }, FakeStore("s", cache));

    public static StoreDefinition FakeStore(string name, CacheDefinition? cache = null, JsonObject? settings = null) =>
        new() { Name = name, Type = "fake", Cache = cache, Settings = settings };

    public ValueTask<string> ResolveAsync(string key) => Resolver.ResolveAsync("v", key, CancellationToken.None);

    public static SecretStoreException Unavailable() => new(SecretErrorCategory.Unavailable, "connection refused");

    public async ValueTask DisposeAsync()
    {
        Cache.Dispose();
        Hosted.Dispose();
        await Publisher.DisposeAsync();
        await Registry.DisposeAsync();
        _outbound.Dispose();
        Metrics.Dispose();
        await _services.DisposeAsync();
    }
}
