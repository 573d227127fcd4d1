using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>approval list | approve ID [--for D] | deny ID | grants | revoke-grant ID</c>: decide on requests the proxy holds for a
/// person (<c>rules.approve</c>, docs/approvals.md). Admin side: uses the admin token.
/// </summary>
internal static class ApprovalCommands
{
    public static Command Create() => new("approval", "Approve or deny requests held by rules.approve, and manage standing grants")
    {
        CreateList(),
        CreateApprove(),
        CreateDeny(),
        CreateGrants(),
        CreateRevokeGrant(),
    };

    private static Command CreateList()
    {
        var status = new Option<string>("--status") { Description = "Only requests with this status (default: pending; 'all' for every remembered one)", DefaultValueFactory = _ => "pending" };
        status.AcceptOnlyFromAmong("pending", "approved", "denied", "timeout", "cancelled", "all");
        var json = CliOptions.Json();
        var command = new Command("list", "List held requests (method, host and path; never headers or bodies)") { status, json };
        command.SetAction(async (result, ct) =>
        {
            var filter = result.GetValue(status);
            using var api = ApiClient.ForAdmin();
            var answer = CliOutput.Object(await api.GetAsync(filter is null or "all" ? "v1/approvals" : $"v1/approvals?status={ApiClient.Escape(filter)}", ct).ConfigureAwait(false));
            var items = CliOutput.Array(answer["items"]);
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(answer);
                return ExitCodes.Ok;
            }

            var rows = items.OfType<JsonObject>()
                .Select(a => (IReadOnlyList<string>)[
                    CliOutput.Text(a["id"]),
                    CliOutput.Text(a["agent"]) + "/" + CliOutput.Text(a["vault"]),
                    CliOutput.Text(a["service"]),
                    CliOutput.Text(a["method"]) + " " + Target(a),
                    CliOutput.Time(a["created"]),
                    CliOutput.Time(a["expires"]),
                    CliOutput.Text(a["status"]) + (CliOutput.Text(a["decided_by"]) is { Length: > 0 } by ? " by " + by : string.Empty)])
                .ToList();
            CliOutput.WriteTable(["id", "agent/vault", "service", "request", "created", "expires", "status"], rows,
                filter == "pending" ? "no requests waiting for approval" : "no held requests");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateApprove()
    {
        var id = new Argument<string>("ID") { Description = "Held request id (from approval list)" };
        var duration = CliOptions.Duration("--for", "Also let this agent's requests that match the same rule pass without asking, for this long (at most 24h)");
        var json = CliOptions.Json();
        var command = new Command("approve", "Approve a held request: the broker forwards it now") { id, duration, json };
        command.SetAction(async (result, ct) =>
        {
            var body = result.GetValue(duration) is { } forValue ? new JsonObject { ["for"] = forValue } : null;
            return await DecideAsync(result.GetRequiredValue(id), "approve", body, result.GetValue(json), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateDeny()
    {
        var id = new Argument<string>("ID") { Description = "Held request id (from approval list)" };
        var json = CliOptions.Json();
        var command = new Command("deny", "Deny a held request: the agent gets 403 approval_denied") { id, json };
        command.SetAction((result, ct) => DecideAsync(result.GetRequiredValue(id), "deny", null, result.GetValue(json), ct));
        return command;
    }

    private static async Task<int> DecideAsync(string id, string action, JsonObject? body, bool json, CancellationToken cancellationToken)
    {
        using var api = ApiClient.ForAdmin();
        var answer = CliOutput.Object(await api.SendAsync(HttpMethod.Post, $"v1/approvals/{ApiClient.Escape(id)}/{action}", body, cancellationToken).ConfigureAwait(false));
        if (json)
        {
            CliOutput.WriteJson(answer);
            return ExitCodes.Ok;
        }

        var line = $"{CliOutput.Text(answer["id"])} {CliOutput.Text(answer["status"])}: {CliOutput.Text(answer["method"])} {Target(answer)} of {CliOutput.Text(answer["agent"])}";
        if (answer["grant"] is JsonObject grant)
        {
            line += $"; requests matching '{CliOutput.Text(grant["rule"])}' pass until {CliOutput.Time(grant["expires"])} (grant {CliOutput.Text(grant["id"])})";
        }

        CliOutput.WriteLine(line);
        return ExitCodes.Ok;
    }

    // host[:port]/path, the port left out when it is the usual one (as `logs` prints it).
    private static string Target(JsonObject item)
    {
        var port = CliOutput.Text(item["port"]);
        return CliOutput.Text(item["host"]) + (port is "" or "443" or "80" ? string.Empty : ":" + port) + CliOutput.Text(item["path"]);
    }

    private static Command CreateGrants()
    {
        var json = CliOptions.Json();
        var command = new Command("grants", "List standing grants (approvals given 'for' a while)") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var answer = CliOutput.Object(await api.GetAsync("v1/approvals/grants", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(answer);
                return ExitCodes.Ok;
            }

            var rows = CliOutput.Array(answer["items"]).OfType<JsonObject>()
                .Select(g => (IReadOnlyList<string>)[
                    CliOutput.Text(g["id"]),
                    CliOutput.Text(g["agent"]) + "/" + CliOutput.Text(g["vault"]),
                    CliOutput.Text(g["service"]),
                    CliOutput.Text(g["rule"]),
                    CliOutput.Time(g["expires"]),
                    CliOutput.Text(g["granted_by"])])
                .ToList();
            CliOutput.WriteTable(["id", "agent/vault", "service", "rule", "expires", "granted by"], rows, "no standing grants");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRevokeGrant()
    {
        var id = new Argument<string>("ID") { Description = "Grant id (from approval grants)" };
        var command = new Command("revoke-grant", "End a standing grant now: matching requests are held again") { id };
        command.SetAction(async (result, ct) =>
        {
            var grantId = result.GetRequiredValue(id);
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Delete, $"v1/approvals/grants/{ApiClient.Escape(grantId)}", null, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"grant {grantId} ended");
            return ExitCodes.Ok;
        });
        return command;
    }
}
