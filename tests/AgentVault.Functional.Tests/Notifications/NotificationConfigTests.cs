using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Functional.Tests.ControlPlane;

namespace AgentVault.Functional.Tests.Notifications;

/// <summary>
/// <c>notifications:</c> in the configuration through the CLI and the API: YAML apply, export and re-apply without changes,
/// validation errors with their paths, <c>GET /v1/notifications</c> without secret references, and the CLI's
/// <c>notification list | test | deliveries</c>.
/// </summary>
public sealed class NotificationConfigTests(NotificationBrokerFixture fixture) : IClassFixture<NotificationBrokerFixture>
{
    [Fact]
    public async Task YamlApply_ExportsTheHook_AndTheExportAppliesWithoutChanges()
    {
        var yaml = $"""
            notifications:
              - name: yaml-hook
                url: {fixture.ReceiverUrl}/ok/yaml-hook
                secret: local:hook-secret
                format: slack
                events: [proposal.created, approval.decided]
            """;

        var applied = CliAssert.Json(await fixture.Environment.ApplyAsync(yaml, "--json"));
        var exported = CliAssert.Ok(await fixture.Broker.Cli.RunAsync("export")).Stdout;
        var again = CliAssert.Ok(await fixture.Environment.ApplyAsync(exported));
        var hook = CliAssert.Json(await fixture.Broker.Cli.RunAsync("export", "--json")).GetProperty("notifications").EnumerateArray().Single(n => n.GetProperty("name").GetString() == "yaml-hook");

        Assert.Contains("notification/yaml-hook", applied.GetProperty("created").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("secret: local:hook-secret", exported, StringComparison.Ordinal);
        Assert.DoesNotContain(NotificationBrokerFixture.Secret, exported, StringComparison.Ordinal);
        Assert.Equal("no changes", again.Stdout.Trim());
        Assert.Equal("slack", hook.GetProperty("format").GetString());
        Assert.Equal(["proposal.created", "approval.decided"], hook.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task InvalidHooks_AreRefusedWithEveryProblemAndPath_AndNothingIsSaved()
    {
        var before = CliAssert.Ok(await fixture.Broker.Cli.RunAsync("export")).Stdout;
        using var api = fixture.Broker.CreateApiClient();

        using var response = await api.PostAsJsonAsync(new Uri("/v1/apply", UriKind.Relative), new JsonObject
        {
            ["notifications"] = new JsonArray(
                new JsonObject { ["name"] = "Bad Name", ["url"] = "http://hooks.example.com/x", ["secret"] = "local:hook-secret", ["events"] = new JsonArray("proposal.created") },
                new JsonObject { ["name"] = "bad-format", ["url"] = "https://hooks.example.com/x", ["secret"] = "nostore:x", ["format"] = "teams", ["events"] = new JsonArray("proposal.deleted") },
                new JsonObject { ["name"] = "bad-format", ["url"] = "https://hooks.example.com/y", ["secret"] = "whsec-plain-value", ["events"] = new JsonArray() }),
        });
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal(
            ["notifications[2].name", "notifications[0].name", "notifications[0].url", "notifications[1].format", "notifications[1].events[0]", "notifications[1].secret", "notifications[2].events", "notifications[2].secret"],
            errors);
        Assert.DoesNotContain("whsec-plain-value", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, CliAssert.Ok(await fixture.Broker.Cli.RunAsync("export")).Stdout);
    }

    [Fact]
    public async Task ListApiAndCli_ShowTheHookWithoutItsSecretReference()
    {
        await fixture.AddHookAsync("listed", $"{fixture.ReceiverUrl}/ok/listed");
        using var api = fixture.Broker.CreateApiClient();

        var listed = await api.GetFromJsonAsync<JsonElement>(new Uri("/v1/notifications", UriKind.Relative));
        var cli = CliAssert.Json(await fixture.Broker.Cli.RunAsync("notification", "list", "--json"));
        var table = CliAssert.Ok(await fixture.Broker.Cli.RunAsync("notification", "list")).Stdout;

        var hook = listed.EnumerateArray().Single(n => n.GetProperty("name").GetString() == "listed");
        Assert.Equal(["name", "url", "format", "events"], hook.EnumerateObject().Select(p => p.Name));
        Assert.Equal($"{fixture.ReceiverUrl}/ok/listed", hook.GetProperty("url").GetString());
        Assert.Equal("generic", hook.GetProperty("format").GetString());
        Assert.Contains(cli.EnumerateArray(), n => n.GetProperty("name").GetString() == "listed");
        Assert.DoesNotContain("hook-secret", listed.ToString(), StringComparison.Ordinal);
        Assert.Contains("listed", table, StringComparison.Ordinal);
        Assert.StartsWith("NAME", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliTestWithWait_ReportsTheDelivery_AndDeliveriesListsIt()
    {
        await fixture.AddHookAsync("cli-hook", $"{fixture.ReceiverUrl}/ok/cli-hook");

        var tested = CliAssert.Json(await fixture.Broker.Cli.RunAsync("notification", "test", "cli-hook", "--wait", "--json"));
        var deliveries = CliAssert.Json(await fixture.Broker.Cli.RunAsync("notification", "deliveries", "--json"));
        var text = CliAssert.Ok(await fixture.Broker.Cli.RunAsync("notification", "deliveries")).Stdout;
        var unknown = CliAssert.Failed(await fixture.Broker.Cli.RunAsync("notification", "test", "nobody"));

        Assert.Equal("delivered", tested.GetProperty("status").GetString());
        Assert.Equal(1, tested.GetProperty("attempts").GetInt32());
        Assert.Single(fixture.Receiver.On("/ok/cli-hook"));
        var listed = deliveries.EnumerateArray().Single(d => d.GetProperty("id").GetString() == tested.GetProperty("id").GetString());
        Assert.Equal("cli-hook", listed.GetProperty("notification").GetString());
        Assert.Matches(@"cli-hook +notification\.test +test_[0-9a-f]+ +delivered +1 +HTTP 200", text);
        Assert.Contains("no notification named 'nobody'", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoreHoldingAHooksSecret_CannotBeRemoved()
    {
        await fixture.AddHookAsync("keeps-store", $"{fixture.ReceiverUrl}/ok/keeps-store");

        var removed = CliAssert.Failed(await fixture.Broker.Cli.RunAsync("store", "remove", "local"));

        Assert.Contains("store 'local' is used by notification ", removed.Stderr, StringComparison.Ordinal);
        Assert.Contains("keeps-store", removed.Stderr, StringComparison.Ordinal);
        Assert.Contains(CliAssert.Json(await fixture.Broker.Cli.RunAsync("export", "--json")).GetProperty("stores").EnumerateArray(), s => s.GetProperty("name").GetString() == "local");
    }
}
