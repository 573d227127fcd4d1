using System.Text.Json.Nodes;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class StoreRegistryTests
{
    [Fact]
    public async Task CacheSettingsChange_KeepsTheInstance()
    {
        await using var h = new SecretsHarness();
        h.Registry.Rebuild([SecretsHarness.FakeStore("s", settings: new JsonObject { ["a"] = 1 })]);
        var first = h.Registry.Find("s", out _);

        h.Registry.Rebuild([SecretsHarness.FakeStore("s", new CacheDefinition { Ttl = "5s" }, new JsonObject { ["a"] = 1 })]);

        Assert.Same(first, h.Registry.Find("s", out _));
        Assert.Single(h.Factory.Contexts);
    }

    [Fact]
    public async Task SettingsChange_ReplacesInstance_AndDisposesOldOneAfterInFlightCalls()
    {
        await using var h = new SecretsHarness();
        h.Registry.Rebuild([SecretsHarness.FakeStore("s", settings: new JsonObject { ["a"] = 1 })]);
        var old = h.Store();
        var slot = h.Registry.GetSlot("s")!;
        Assert.True(slot.TryEnter());

        h.Factory.Stores["s"] = new FakeSecretStore();
        h.Registry.Rebuild([SecretsHarness.FakeStore("s", settings: new JsonObject { ["a"] = 2 })]);

        Assert.Same(h.Factory.Stores["s"], h.Registry.Find("s", out _));
        Assert.False(slot.TryEnter());
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await Task.Yield();
        Assert.Equal(0, old.Disposals);

        slot.Exit();
        await Poll.UntilAsync(() => old.Disposals == 1, "disposal of the replaced instance");
    }

    [Fact]
    public async Task CreateThrows_StoreUnavailableWithMessage()
    {
        await using var h = new SecretsHarness();
        h.Registry.Rebuild([SecretsHarness.FakeStore("s", settings: new JsonObject { ["explode"] = "yes" })]);

        Assert.Null(h.Registry.Find("s", out var reason));
        Assert.Equal("InvalidOperationException: boom while creating", reason);
    }

    [Fact]
    public async Task InvalidSettings_StoreUnavailableWithEveryProblem()
    {
        await using var h = new SecretsHarness();
        h.Registry.Rebuild([SecretsHarness.FakeStore("s", settings: new JsonObject { ["bad"] = "x" })]);

        Assert.Null(h.Registry.Find("s", out var reason));
        Assert.Equal("invalid settings: bad: is not allowed", reason);
    }

    [Fact]
    public async Task UnknownStore_HasReason()
    {
        await using var h = new SecretsHarness();

        Assert.Null(h.Registry.Find("nope", out var reason));
        Assert.Equal("no store named 'nope' is configured", reason);
    }

    [Fact]
    public async Task Context_CarriesNameSettingsClientAndClock()
    {
        await using var h = new SecretsHarness();
        h.Registry.Rebuild([SecretsHarness.FakeStore("s", settings: new JsonObject { ["address"] = "http://127.0.0.1:1" })]);

        var context = Assert.Single(h.Factory.Contexts);
        Assert.Equal("s", context.StoreName);
        Assert.Equal("http://127.0.0.1:1", context.Settings.GetString("address"));
        Assert.NotNull(context.HttpClient);
        Assert.Same(h.Time, context.TimeProvider);
        Assert.Null(context.Protector);
    }
}
