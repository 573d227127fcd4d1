using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>agent create | list | revoke | rotate | delete</c>: agent identities and their tokens.</summary>
internal static class AgentCommands
{
    public static Command Create() => new("agent", "Manage agents (identities with a proxy token, granted vaults)")
    {
        CreateCreate(),
        CreateList(),
        CreateRevoke(),
        CreateRotate(),
        CreateDelete(),
    };

    private static Command CreateCreate()
    {
        var name = new Argument<string>("NAME") { Description = "Agent name" };
        var vaults = new Option<string[]>("--vault")
        {
            Description = "Vault the agent may use (repeatable, or comma-separated)",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var ttl = CliOptions.Duration("--ttl", "Lifetime of the agent's token (default: no expiry)");
        var canMint = new Option<bool>("--can-mint") { Description = "Allow the agent to mint short-lived scoped tokens for its vaults" };
        var json = CliOptions.Json();
        var command = new Command("create", "Create an agent and print its token (shown once)") { name, vaults, ttl, canMint, json };
        command.SetAction(async (result, ct) =>
        {
            var vaultList = new JsonArray();
            foreach (var vault in (result.GetValue(vaults) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                vaultList.Add(vault);
            }

            var body = new JsonObject { ["name"] = result.GetRequiredValue(name), ["vaults"] = vaultList };
            if (result.GetValue(ttl) is { } ttlValue)
            {
                body["ttl"] = ttlValue;
            }

            if (result.GetValue(canMint))
            {
                body["can_mint"] = true;
            }

            using var api = ApiClient.ForAdmin();
            var answer = CliOutput.Object(await api.SendAsync(HttpMethod.Post, "v1/agents", body, ct).ConfigureAwait(false));
            return PrintToken(answer, $"agent {result.GetRequiredValue(name)} created (vaults: {CliOutput.Text(answer["vaults"] ?? vaultList)})", result.GetValue(json));
        });
        return command;
    }

    private static Command CreateList()
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List agents") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var agents = CliOutput.Array(await api.GetAsync("v1/agents", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(agents);
                return ExitCodes.Ok;
            }

            var rows = agents.OfType<JsonObject>()
                .Select(a => (IReadOnlyList<string>)[
                    CliOutput.Text(a["name"]),
                    CliOutput.Text(a["vaults"]),
                    a["can_mint"] is JsonValue v && v.TryGetValue<bool>(out var b) && b ? "yes" : "no",
                    CliOutput.Text(a["tokens"]),
                    CliOutput.Time(a["created_at"])])
                .ToList();
            CliOutput.WriteTable(["name", "vaults", "can mint", "tokens", "created"], rows, "no agents");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRevoke()
    {
        var name = new Argument<string>("NAME") { Description = "Agent name" };
        var json = CliOptions.Json();
        var command = new Command("revoke", "Revoke every token of an agent; they stop working at once") { name, json };
        command.SetAction(async (result, ct) =>
        {
            var agentName = result.GetRequiredValue(name);
            using var api = ApiClient.ForAdmin();
            var answer = await api.SendAsync(HttpMethod.Post, $"v1/agents/{ApiClient.Escape(agentName)}/revoke", null, ct).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(answer);
            }
            else
            {
                CliOutput.WriteLine($"agent {agentName}: {CliOutput.Text(answer?["revoked"])} token(s) revoked");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRotate()
    {
        var name = new Argument<string>("NAME") { Description = "Agent name" };
        var ttl = CliOptions.Duration("--ttl", "Lifetime of the new token (default: no expiry)");
        var json = CliOptions.Json();
        var command = new Command("rotate", "Issue a new token for an agent and revoke its old ones") { name, ttl, json };
        command.SetAction(async (result, ct) =>
        {
            var agentName = result.GetRequiredValue(name);
            var body = new JsonObject();
            if (result.GetValue(ttl) is { } ttlValue)
            {
                body["ttl"] = ttlValue;
            }

            using var api = ApiClient.ForAdmin();
            var answer = CliOutput.Object(await api.SendAsync(HttpMethod.Post, $"v1/agents/{ApiClient.Escape(agentName)}/rotate", body, ct).ConfigureAwait(false));
            return PrintToken(answer, $"agent {agentName}: new token issued, old tokens revoked", result.GetValue(json));
        });
        return command;
    }

    private static Command CreateDelete()
    {
        var name = new Argument<string>("NAME") { Description = "Agent name" };
        var command = new Command("delete", "Delete an agent and revoke its tokens") { name };
        command.SetAction(async (result, ct) =>
        {
            var agentName = result.GetRequiredValue(name);
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Delete, $"v1/agents/{ApiClient.Escape(agentName)}", null, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"agent {agentName} deleted");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static int PrintToken(JsonObject answer, string summary, bool json)
    {
        if (json)
        {
            CliOutput.WriteJson(answer);
            return ExitCodes.Ok;
        }

        CliOutput.WriteLine(summary);
        CliOutput.WriteLine($"token: {CliOutput.Text(answer["token"])}");
        if (answer["expires_at"] is { } expires)
        {
            CliOutput.WriteLine($"expires: {CliOutput.Time(expires)}");
        }

        Console.Error.WriteLine("note: the token is shown only once; store it now");
        return ExitCodes.Ok;
    }
}
