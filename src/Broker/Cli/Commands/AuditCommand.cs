using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using AgentVault.Broker.Management;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>audit [--vault V] [--actor A] [--action X] [--limit N] [--follow] [--json]</c>: the audit trail (SPEC §14), oldest of the
/// page first, one line or JSON object per entry; <c>--follow</c> keeps printing new entries.
/// </summary>
internal static class AuditCommand
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var vault = CliOptions.Vault(required: false);
        var actor = new Option<string>("--actor") { Description = "Only entries of this actor (an email, admin-token or agent:NAME)", HelpName = "ACTOR" };
        var action = new Option<string>("--action") { Description = "Only this action, or a prefix ending in a dot (proposal.)", HelpName = "ACTION" };
        var limit = new Option<int>("--limit", "-n") { Description = "How many recent entries to print", DefaultValueFactory = _ => 100 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > AuditEndpoints.MaxLimit)
            {
                r.AddError($"--limit must be between 1 and {AuditEndpoints.MaxLimit}");
            }
        });
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep running and print new entries as they are recorded" };
        var json = CliOptions.Json();
        var command = new Command("audit", "Show the audit trail: who changed or decided what, and when (names and references, never values)")
        {
            vault, actor, action, limit, follow, json,
        };
        command.SetAction((result, ct) => RunAsync(
            Filter(result.GetValue(vault), result.GetValue(actor), result.GetValue(action)), result.GetValue(limit), result.GetValue(follow), result.GetValue(json), ct));
        return command;
    }

    private static string Filter(string? vault, string? actor, string? action)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                parts.Add(name + "=" + ApiClient.Escape(value));
            }
        }

        Add("vault", vault);
        Add("actor", actor);
        Add("action", action);
        return string.Concat(parts.Select(p => "&" + p));
    }

    private static async Task<int> RunAsync(string filter, int limit, bool follow, bool json, CancellationToken cancellationToken)
    {
        using var api = ApiClient.ForAdmin();
        var page = Items(await api.GetAsync($"v1/audit?limit={limit}{filter}", cancellationToken).ConfigureAwait(false));
        var last = 0L;
        foreach (var entry in page.AsEnumerable().Reverse())
        {
            Print(entry, json);
            last = Math.Max(last, Id(entry));
        }

        if (page.Count == 0 && !json && !follow)
        {
            await Console.Error.WriteLineAsync("no audit entries yet").ConfigureAwait(false);
        }

        while (follow)
        {
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(FollowInterval, cancellationToken).ConfigureAwait(false);
            foreach (var entry in Items(await api.GetAsync($"v1/audit?after={last}&limit={AuditEndpoints.MaxLimit}{filter}", cancellationToken).ConfigureAwait(false)))
            {
                Print(entry, json);
                last = Math.Max(last, Id(entry));
            }
        }

        return ExitCodes.Ok;
    }

    private static List<JsonObject> Items(JsonNode? answer) => [.. CliOutput.Array(CliOutput.Object(answer)["items"]).OfType<JsonObject>()];

    private static long Id(JsonObject entry) => long.TryParse(CliOutput.Text(entry["id"]), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;

    private static void Print(JsonObject entry, bool json)
    {
        if (json)
        {
            CliOutput.WriteJsonLine(entry);
            return;
        }

        var vault = CliOutput.Text(entry["vault"]);
        CliOutput.WriteLine(
            $"{CliOutput.Time(entry["time"])}  {CliOutput.Text(entry["actor"])}  {CliOutput.Text(entry["action"])}  {CliOutput.Text(entry["target"])}" +
            $"{(vault.Length > 0 ? "  vault=" + vault : string.Empty)}  {CliOutput.Text(entry["summary"])}");
    }
}
