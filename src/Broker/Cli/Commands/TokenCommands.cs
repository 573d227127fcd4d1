using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>token mint | list | revoke</c>: short-lived scoped tokens for one vault.</summary>
internal static class TokenCommands
{
    public static Command Create() => new("token", "Mint and manage scoped tokens (short-lived, one vault; for sandboxes)")
    {
        CreateMint(),
        CreateList(),
        CreateRevoke(),
    };

    private static Command CreateMint()
    {
        var vault = CliOptions.Vault();
        var ttl = CliOptions.Duration("--ttl", "Token lifetime (default 15m)");
        var label = new Option<string>("--label") { Description = "Free-text label shown in token list" };
        var agent = new Option<string>("--agent") { Description = "Agent the token acts for (admin only; the requests are logged under it)" };
        var json = CliOptions.Json();
        var command = new Command(
            "mint",
            $"Mint a scoped token and print it. Uses the admin token; without one, {CliEnvironment.AgentTokenVariable} of an agent allowed to mint")
        {
            vault, ttl, label, agent, json,
        };
        command.SetAction(async (result, ct) =>
        {
            var body = new JsonObject { ["vault"] = result.GetRequiredValue(vault) };
            if (result.GetValue(ttl) is { } ttlValue)
            {
                body["ttl"] = ttlValue;
            }

            if (result.GetValue(label) is { } labelValue)
            {
                body["label"] = labelValue;
            }

            if (result.GetValue(agent) is { } agentValue)
            {
                body["agent"] = agentValue;
            }

            using var api = CreateMintClient();
            var answer = CliOutput.Object(await api.SendAsync(HttpMethod.Post, "v1/tokens", body, ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(answer);
                return ExitCodes.Ok;
            }

            // Only the token on stdout, so `export AGENT_VAULT_TOKEN=$(agent-vault token mint --vault dev)` works.
            CliOutput.WriteLine(CliOutput.Text(answer["token"]));
            await Console.Error.WriteLineAsync($"scoped token {CliOutput.Text(answer["id"])} for vault {CliOutput.Text(answer["vault"])}, expires {CliOutput.Time(answer["expires_at"])}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static ApiClient CreateMintClient()
    {
        if (Environment.GetEnvironmentVariable(CliEnvironment.AdminTokenVariable) is { Length: > 0 })
        {
            return ApiClient.ForAdmin();
        }

        if (CliEnvironment.AgentToken() is { } agentToken)
        {
            return ApiClient.WithToken(agentToken, CliEnvironment.AgentTokenVariable);
        }

        return ApiClient.ForAdmin();
    }

    private static Command CreateList()
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List tokens (ids and metadata, never the tokens)") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var tokens = CliOutput.Array(await api.GetAsync("v1/tokens", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(tokens);
                return ExitCodes.Ok;
            }

            var rows = tokens.OfType<JsonObject>()
                .Select(t => (IReadOnlyList<string>)[
                    CliOutput.Text(t["id"]),
                    CliOutput.Text(t["agent"]),
                    CliOutput.Text(t["kind"]),
                    CliOutput.Text(t["vault"]),
                    CliOutput.Text(t["label"]),
                    CliOutput.Time(t["expires_at"]),
                    CliOutput.Time(t["revoked_at"])])
                .ToList();
            CliOutput.WriteTable(["id", "agent", "kind", "vault", "label", "expires", "revoked"], rows, "no tokens");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRevoke()
    {
        var id = new Argument<string>("ID") { Description = "Token id (from token list)" };
        var command = new Command("revoke", "Revoke one token by id") { id };
        command.SetAction(async (result, ct) =>
        {
            var tokenId = result.GetRequiredValue(id);
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Delete, $"v1/tokens/{ApiClient.Escape(tokenId)}", null, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"token {tokenId} revoked");
            return ExitCodes.Ok;
        });
        return command;
    }
}
