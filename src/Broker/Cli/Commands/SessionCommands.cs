using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>session list | revoke ID</c> and <c>admin rotate-token</c> (SPEC §14): people's live sessions, ending one at once, and
/// replacing the admin token (owner only).
/// </summary>
internal static class SessionCommands
{
    public static Command CreateSession() => new("session", "List people's live sessions, or end one at once (owner only)")
    {
        CreateList(),
        CreateRevoke(),
    };

    public static Command CreateAdmin()
    {
        var rotate = new Command("rotate-token", "Replace the admin token: prints the new one once; the old one stops working at once");
        rotate.SetAction(async (_, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var answer = CliOutput.Object(await api.SendAsync(HttpMethod.Post, "v1/admin/rotate-token", null, ct).ConfigureAwait(false));
            CliOutput.WriteLine(CliOutput.Text(answer["token"]));
            await Console.Error.WriteLineAsync("the previous admin token no longer works; store this one now (it is not shown again)").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return new Command("admin", "The admin token (the owner's break-glass and automation credential)") { rotate };
    }

    private static Command CreateList()
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List live sessions: id, kind, person, since, last seen") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var items = CliOutput.Array(CliOutput.Object(await api.GetAsync("v1/sessions", ct).ConfigureAwait(false))["items"]);
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(items);
                return ExitCodes.Ok;
            }

            var rows = items.OfType<JsonObject>()
                .Select(s => (IReadOnlyList<string>)[
                    CliOutput.Text(s["id"]) + (s["current"]?.GetValue<bool>() == true ? " (this)" : string.Empty), CliOutput.Text(s["kind"]), CliOutput.Text(s["actor"]),
                    CliOutput.Time(s["created_at"]), CliOutput.Time(s["last_seen_at"])])
                .ToList();
            CliOutput.WriteTable(["id", "kind", "actor", "since", "last seen"], rows, "no live sessions");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRevoke()
    {
        var id = new Argument<string>("ID") { Description = "The session's id (ses_…), from session list" };
        var command = new Command("revoke", "End a session at once, on every instance") { id };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Delete, "v1/sessions/" + ApiClient.Escape(result.GetValue(id)!), null, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"session {result.GetValue(id)} ended");
            return ExitCodes.Ok;
        });
        return command;
    }
}
