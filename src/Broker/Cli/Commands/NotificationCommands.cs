using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>notification list | deliveries | test NAME [--wait]</c>: the configured webhooks (no secrets), the delivery log, and a
/// test event for one hook (docs/notifications.md). Hooks themselves are configured with <c>apply</c>.
/// </summary>
internal static class NotificationCommands
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(90);

    public static Command Create() => new("notification", "Inspect and test notification webhooks (configured under notifications: with apply)")
    {
        CreateList(),
        CreateDeliveries(),
        CreateTest(),
    };

    private static Command CreateList()
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List the configured webhooks: name, URL, format and events") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var hooks = CliOutput.Array(await api.GetAsync("v1/notifications", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(hooks);
                return ExitCodes.Ok;
            }

            var rows = hooks.OfType<JsonObject>()
                .Select(h => (IReadOnlyList<string>)[CliOutput.Text(h["name"]), CliOutput.Text(h["format"]), CliOutput.Text(h["events"]), CliOutput.Text(h["url"])])
                .ToList();
            CliOutput.WriteTable(["name", "format", "events", "url"], rows, "no notifications");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateDeliveries()
    {
        var json = CliOptions.Json();
        var command = new Command("deliveries", "Show the recent deliveries (newest first): status, attempts, last HTTP status or error") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var deliveries = CliOutput.Array(await api.GetAsync("v1/notifications/deliveries", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(deliveries);
                return ExitCodes.Ok;
            }

            var rows = deliveries.OfType<JsonObject>().Select(Row).ToList();
            CliOutput.WriteTable(["time", "notification", "event", "id", "status", "attempts", "last"], rows, "no deliveries");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateTest()
    {
        var name = new Argument<string>("NAME") { Description = "Notification name" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the delivery is delivered or has failed (exit 1 if it failed)" };
        var json = CliOptions.Json();
        var command = new Command("test", "Send a notification.test event to one webhook") { name, wait, json };
        command.SetAction(async (result, ct) =>
        {
            var hook = result.GetRequiredValue(name);
            using var api = ApiClient.ForAdmin();
            var delivery = CliOutput.Object(await api.SendAsync(HttpMethod.Post, $"v1/notifications/{ApiClient.Escape(hook)}/test", null, ct).ConfigureAwait(false));
            if (result.GetValue(wait))
            {
                delivery = await WaitAsync(api, CliOutput.Text(delivery["id"]), delivery, ct).ConfigureAwait(false);
            }

            var status = CliOutput.Text(delivery["status"]);
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(delivery);
            }
            else
            {
                CliOutput.WriteLine($"notification {hook}: test {status} (delivery {CliOutput.Text(delivery["id"])}{Last(delivery)})");
            }

            return status is "failed" or "dropped" ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<JsonObject> WaitAsync(ApiClient api, string id, JsonObject delivery, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + WaitLimit;
        while (CliOutput.Text(delivery["status"]) is "pending" or "retrying" && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            var all = CliOutput.Array(await api.GetAsync("v1/notifications/deliveries", cancellationToken).ConfigureAwait(false));
            delivery = all.OfType<JsonObject>().FirstOrDefault(d => CliOutput.Text(d["id"]) == id) is { } found ? (JsonObject)found.DeepClone() : delivery;
        }

        return delivery;
    }

    private static IReadOnlyList<string> Row(JsonObject d) =>
    [
        CliOutput.Time(d["created_at"]), CliOutput.Text(d["notification"]), CliOutput.Text(d["event"]), CliOutput.Text(d["event_id"]),
        CliOutput.Text(d["status"]), CliOutput.Text(d["attempts"]), Last(d).TrimStart(',', ' '),
    ];

    private static string Last(JsonObject d)
    {
        var status = CliOutput.Text(d["last_status"]);
        var error = CliOutput.Text(d["error"]);
        return status.Length > 0 ? ", HTTP " + status : error.Length > 0 ? ", " + error : string.Empty;
    }
}
