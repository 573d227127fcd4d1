using System.Text.Json.Nodes;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.Infisical;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Secrets;
using AgentVault.Testing.Fakes.Infisical;

namespace AgentVault.Plugins.Tests.Infisical;

/// <summary>A fake Infisical plus what the broker hands the plugin: an HttpClient, a bootstrap resolver, a clock, a capturing logger.</summary>
internal sealed class InfisicalHarness : IAsyncDisposable
{
    private readonly List<ISecretStore> _stores = [];

    private InfisicalHarness(FakeInfisicalServer server, TimeProvider time)
    {
        Server = server;
        Time = time;
    }

    public static ISecretStoreFactory Factory { get; } = CollectingRegistrar.StoreFactory(new InfisicalPlugin(), "infisical");

    public FakeInfisicalServer Server { get; }

    public TimeProvider Time { get; }

    public MapBootstrapResolver Bootstrap { get; } = new();

    public CapturingLoggerFactory Logs { get; } = new();

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string? ClientSecret { get; private set; }

    public static async Task<InfisicalHarness> StartAsync(TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        return new InfisicalHarness(await FakeInfisicalServer.StartAsync(time), time);
    }

    /// <summary>Creates a store for a new identity in environment <c>prod</c>; <paramref name="extra"/> is appended to the settings object.</summary>
    public ISecretStore CreateStore(TimeSpan? tokenTtl = null, TimeSpan? tokenMaxTtl = null, string extra = "", bool withSlug = true)
    {
        var (clientId, clientSecret) = Server.AddIdentity(tokenTtl, tokenMaxTtl);
        Bootstrap["env:INFISICAL_CLIENT_ID"] = clientId;
        Bootstrap["env:INFISICAL_CLIENT_SECRET"] = clientSecret;
        ClientSecret = clientSecret;
        var slug = withSlug ? $", \"project_slug\": \"{Server.ProjectSlug}\"" : string.Empty;
        return CreateStoreFromJson($$"""
            { "site_url": "{{Server.Address}}", "client_id": "env:INFISICAL_CLIENT_ID", "client_secret": "env:INFISICAL_CLIENT_SECRET",
              "project_id": "{{Server.ProjectId}}", "environment": "prod" {{slug}} {{extra}} }
            """);
    }

    public ISecretStore CreateStoreFromJson(string json)
    {
        var store = Factory.Create(TestStoreContext.Create("inf", (JsonObject)JsonNode.Parse(json)!, Bootstrap, Http, Logs, Time));
        _stores.Add(store);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        Http.Dispose();
        await Server.DisposeAsync();
    }
}
