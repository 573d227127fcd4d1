using System.CommandLine;
using System.Text.Json.Nodes;
using AgentVault.Broker.Proposals;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>proposal create | list | show | approve | reject</c> (SPEC §12): an agent asks for a service with its own token
/// (<c>create</c>); a person reviews and decides with the admin token.
/// </summary>
internal static class ProposalCommands
{
    public static Command Create() => new("proposal", "Agents propose services; people review, approve or reject them")
    {
        CreateCreate(),
        CreateList(),
        CreateShow(),
        CreateApprove(),
        CreateReject(),
    };

    private static Command CreateCreate()
    {
        var file = new Option<string>("--file", "-f") { Description = "The proposal: YAML or JSON with vault, message, services, credentials", Required = true, HelpName = "FILE" };
        var json = CliOptions.Json();
        var command = new Command("create", $"Propose services for a vault, as the agent whose token is in {CliEnvironment.AgentTokenVariable}") { file, json };
        command.SetAction(async (result, ct) =>
        {
            var token = CliEnvironment.AgentToken()
                ?? throw new CliException($"{CliEnvironment.AgentTokenVariable} is not set: a proposal is made with the agent's own token");
            var body = CliDocuments.ReadFile(result.GetRequiredValue(file));
            using var api = ApiClient.WithToken(token, CliEnvironment.AgentTokenVariable);
            var answer = CliOutput.Object(await api.SendAsync(HttpMethod.Post, "v1/proposals", body, ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(answer);
                return ExitCodes.Ok;
            }

            CliOutput.WriteLine($"proposal {CliOutput.Text(answer["id"])} is {CliOutput.Text(answer["status"])}: a person reviews it (agent-vault proposal show {CliOutput.Text(answer["id"])})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList()
    {
        var vault = CliOptions.Vault(required: false);
        var status = new Option<string>("--status") { Description = "pending, approved, rejected or expired", HelpName = "STATUS" };
        var json = CliOptions.Json();
        var command = new Command("list", "List proposals, newest first") { vault, status, json };
        command.SetAction(async (result, ct) =>
        {
            var query = new List<string>();
            if (result.GetValue(vault) is { } v)
            {
                query.Add("vault=" + ApiClient.Escape(v));
            }

            if (result.GetValue(status) is { } s)
            {
                query.Add("status=" + ApiClient.Escape(s));
            }

            using var api = ApiClient.ForAdmin();
            var answer = CliOutput.Object(await api.GetAsync("v1/proposals" + (query.Count == 0 ? string.Empty : "?" + string.Join('&', query)), ct).ConfigureAwait(false));
            var items = CliOutput.Array(answer["items"]);
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(items);
                return ExitCodes.Ok;
            }

            var rows = items.OfType<JsonObject>()
                .Select(p => (IReadOnlyList<string>)[
                    CliOutput.Text(p["id"]),
                    CliOutput.Text(p["vault"]),
                    CliOutput.Text(p["agent"]),
                    CliOutput.Text(p["status"]),
                    string.Join(", ", CliOutput.Array(p["services"]).OfType<JsonObject>().Select(x => CliOutput.Text(x["host"]))),
                    WarningCount(p),
                    CliOutput.Time(p["created"])])
                .ToList();
            CliOutput.WriteTable(["id", "vault", "agent", "status", "hosts", "warnings", "created"], rows, "no proposals");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("ID") { Description = "Proposal id (prp_…)" };
        var json = CliOptions.Json();
        var command = new Command("show", "Show a proposal: its changes against the current configuration and its warnings") { id, json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var answer = CliOutput.Object(await api.GetAsync("v1/proposals/" + ApiClient.Escape(result.GetRequiredValue(id)), ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(answer);
                return ExitCodes.Ok;
            }

            WriteProposal(answer);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateApprove()
    {
        var id = new Argument<string>("ID") { Description = "Proposal id (prp_…)" };
        var credential = new Option<string[]>("--credential") { Description = "KEY=store:path for a credential the proposal only describes (repeatable)", HelpName = "KEY=REF", AllowMultipleArgumentsPerToken = false };
        var json = CliOptions.Json();
        var command = new Command("approve", "Approve a proposal: its services and credentials are added in one versioned write") { id, credential, json };
        command.SetAction(async (result, ct) =>
        {
            var body = new JsonObject();
            var given = result.GetValue(credential) ?? [];
            if (given.Length > 0)
            {
                var credentials = new JsonObject();
                foreach (var argument in given)
                {
                    var (key, value) = KeyValueArgs.Split(argument, "--credential");
                    credentials[key] = value;
                }

                body["credentials"] = credentials;
            }

            return await DecideAsync(result.GetRequiredValue(id), "approve", body, result.GetValue(json), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateReject()
    {
        var id = new Argument<string>("ID") { Description = "Proposal id (prp_…)" };
        var reason = new Option<string>("--reason") { Description = "Why (the agent reads it)", Required = true, HelpName = "TEXT" };
        var json = CliOptions.Json();
        var command = new Command("reject", "Reject a proposal with a reason") { id, reason, json };
        command.SetAction(async (result, ct) =>
            await DecideAsync(result.GetRequiredValue(id), "reject", new JsonObject { ["reason"] = result.GetRequiredValue(reason) }, result.GetValue(json), ct).ConfigureAwait(false));
        return command;
    }

    private static async Task<int> DecideAsync(string id, string action, JsonObject body, bool json, CancellationToken ct)
    {
        using var api = ApiClient.ForAdmin();
        var answer = CliOutput.Object(await api.SendAsync(HttpMethod.Post, $"v1/proposals/{ApiClient.Escape(id)}/{action}", body, ct).ConfigureAwait(false));
        if (json)
        {
            CliOutput.WriteJson(answer);
            return ExitCodes.Ok;
        }

        CliOutput.WriteLine($"proposal {CliOutput.Text(answer["id"])} {CliOutput.Text(answer["status"])}");
        return ExitCodes.Ok;
    }

    private static void WriteProposal(JsonObject p)
    {
        CliOutput.WriteLine($"proposal {CliOutput.Text(p["id"])}: {CliOutput.Text(p["status"])}");
        CliOutput.WriteLine($"  vault    {CliOutput.Text(p["vault"])}");
        CliOutput.WriteLine($"  agent    {CliOutput.Text(p["agent"])}");
        CliOutput.WriteLine($"  created  {CliOutput.Time(p["created"])}, expires {CliOutput.Time(p["expires"])}");
        if (p["decided_by"] is not null)
        {
            CliOutput.WriteLine($"  decided  {CliOutput.Time(p["decided_at"])} by {Shown(p["decided_by"])}{(p["reason"] is { } reason ? ": " + Shown(reason) : string.Empty)}");
        }

        CliOutput.WriteLine($"  message  {Shown(p["message"])}");
        if (p["review"] is not JsonObject review)
        {
            return;
        }

        foreach (var warning in CliOutput.Array(review["warnings"]).OfType<JsonObject>())
        {
            CliOutput.WriteLine($"WARNING: {Shown(warning["message"])} ({Shown(warning["code"])})");
        }

        CliOutput.WriteLine("changes:");
        foreach (var change in CliOutput.Array(review["changes"]))
        {
            CliOutput.WriteLine("  + " + Shown(change));
        }

        var missing = CliOutput.Array(review["missing_credentials"]).Select(Shown).ToList();
        if (missing.Count > 0)
        {
            CliOutput.WriteLine($"approve with a reference for each of: {string.Join(", ", missing)} (--credential KEY=store:path)");
        }
    }

    /// <summary>
    /// Text an agent wrote (message, descriptions, hence change lines), made safe for a terminal: control characters and
    /// bidirectional overrides become U+FFFD (an escape sequence could hide the warnings), and later lines are indented.
    /// </summary>
    private static string Shown(JsonNode? node)
    {
        var text = CliOutput.Text(node);
        var shown = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            shown.Append(c switch
            {
                '\n' => "\n           ",
                '\t' => " ",
                _ when ProposalChecks.IsHidden(c) => "\uFFFD",
                _ => c.ToString(),
            });
        }

        return shown.ToString();
    }

    private static string WarningCount(JsonObject proposal) =>
        proposal["review"] is JsonObject review ? CliOutput.Array(review["warnings"]).Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
}
