using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Storage;

/// <summary>
/// A broker killed with SIGKILL while it applies a change comes back with the configuration entirely as it was before or
/// entirely as applied, never a mix (issue 16). The kill lands at a range of moments, from before the request is read to
/// after it is answered; whichever it is, the restarted broker's export must be one of the two documents.
/// </summary>
public sealed class CrashDuringApplyTests : IAsyncLifetime
{
    private const int Services = 150;
    private BrokerEnvironment? _broker;

    private BrokerEnvironment Broker => _broker!;

    public async Task InitializeAsync() => _broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Crash During Apply CA" });

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [Fact]
    public async Task KilledMidApply_RestartsWithTheOldOrTheNewConfigurationWhole()
    {
        // The --dev store stays in both documents (apply with prune would remove it otherwise).
        JsonNode stores;
        using (var api = Broker.Process.CreateApiClient())
        {
            stores = JsonNode.Parse(await api.GetStringAsync(new Uri("/v1/export", UriKind.Relative)))!["stores"]!;
        }

        var before = Document("old", stores);
        var after = Document("new", stores);
        await ApplyWithPruneAsync(before);
        var outcomes = new List<string>();

        // null: killed only after the answer arrived (the change must survive); the delays land anywhere before that.
        foreach (int? delayMs in new int?[] { 0, 2, 5, 10, 20, 35, 50, 80, 120, 200, 400, null })
        {
            using (var api = Broker.Process.CreateApiClient())
            {
                var applying = api.PostAsync(new Uri("/v1/apply?prune=true", UriKind.Relative), JsonContent.Create(after));
                if (delayMs is { } delay)
                {
                    await Task.Delay(delay);
                }
                else
                {
                    using var answered = await applying;
                    Assert.True(answered.IsSuccessStatusCode, $"apply failed with {(int)answered.StatusCode}");
                }

                await Broker.Process.KillAsync();
                await Task.WhenAny(applying);
            }

            await Broker.Process.StartAgainAsync();
            var (generation, services, agents) = await ReadBackAsync();

            // Whole: every service and agent of one document and nothing of the other.
            Assert.True(generation is "old" or "new", $"after a kill at {delayMs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "answer"} ms: services of neither document: {string.Join(", ", services.Take(5))}");
            Assert.Equal(Enumerable.Range(0, Services).Select(i => $"{generation}-{i}").Order(StringComparer.Ordinal), services.Order(StringComparer.Ordinal));
            Assert.Equal([$"{generation}-agent"], agents);
            outcomes.Add($"{delayMs?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "answered"}: {generation}");

            if (generation == "new")
            {
                await ApplyWithPruneAsync(before);
            }
        }

        // A change that was answered survives the kill.
        Assert.EndsWith("new", outcomes[^1], StringComparison.Ordinal);
    }

    private async Task ApplyWithPruneAsync(JsonNode document)
    {
        using var api = Broker.Process.CreateApiClient();
        using var response = await api.PostAsync(new Uri("/v1/apply?prune=true", UriKind.Relative), JsonContent.Create(document));
        Assert.True(response.IsSuccessStatusCode, $"apply failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<(string Generation, List<string> Services, List<string> Agents)> ReadBackAsync()
    {
        using var api = Broker.Process.CreateApiClient();
        var exported = JsonNode.Parse(await api.GetStringAsync(new Uri("/v1/export", UriKind.Relative)))!;
        var services = exported["vaults"]!.AsArray().Single(v => (string?)v!["name"] == "crash")!["services"]!.AsArray()
            .Select(s => (string)s!["name"]!).ToList();
        var agents = exported["agents"]!.AsArray().Select(a => (string)a!["name"]!).Where(n => n.EndsWith("-agent", StringComparison.Ordinal)).ToList();
        var generations = services.Select(s => s.Split('-')[0]).Distinct().ToList();
        return (generations.Count == 1 ? generations[0] : "mixed", services, agents);
    }

    private static JsonNode Document(string generation, JsonNode stores)
    {
        var services = new JsonArray();
        for (var i = 0; i < Services; i++)
        {
            services.Add(new JsonObject
            {
                ["name"] = $"{generation}-{i}",
                ["host"] = $"{generation}-{i}.crash.test",
                ["auth"] = new JsonObject { ["type"] = "bearer", ["token"] = "API_KEY" },
            });
        }

        return new JsonObject
        {
            ["stores"] = stores.DeepClone(),
            ["vaults"] = new JsonArray(new JsonObject
            {
                ["name"] = "crash",
                ["credentials"] = new JsonObject { ["API_KEY"] = "local:api" },
                ["services"] = services,
            }),
            ["agents"] = new JsonArray(new JsonObject { ["name"] = $"{generation}-agent", ["vaults"] = new JsonArray("crash") }),
        };
    }
}
