using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>vault create | list | delete</c>, plus the <c>credential</c> and <c>service</c> sub-groups.</summary>
internal static class VaultCommands
{
    public static Command Create() => new("vault", "Manage vaults: named scopes of credentials and services")
    {
        CreateCreate(),
        CreateList(),
        CreateDelete(),
        VaultCredentialCommands.Create(),
        VaultServiceCommands.Create(),
    };

    private static Command CreateCreate()
    {
        var name = new Argument<string>("NAME") { Description = "Vault name" };
        var unmatched = new Option<string>("--unmatched")
        {
            Description = "What happens to hosts no service matches: deny (403, default) or passthrough (forward without credentials)",
            HelpName = "deny|passthrough",
        };
        unmatched.AcceptOnlyFromAmong("deny", "passthrough");
        var json = CliOptions.Json();
        var command = new Command("create", "Create a vault, or change its unmatched policy") { name, unmatched, json };
        command.SetAction(async (result, ct) =>
        {
            var vaultName = result.GetRequiredValue(name);
            var body = new JsonObject { ["unmatched"] = result.GetValue(unmatched) ?? "deny" };
            using var api = ApiClient.ForAdmin();
            var vault = await api.SendAsync(HttpMethod.Put, $"v1/vaults/{ApiClient.Escape(vaultName)}", body, ct).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(vault);
            }
            else
            {
                var policy = CliOutput.Text(vault?["unmatched"]);
                CliOutput.WriteLine($"vault {vaultName} saved (unmatched: {(policy.Length > 0 ? policy : CliOutput.Text(body["unmatched"]))})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList()
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List vaults") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var vaults = CliOutput.Array(await api.GetAsync("v1/vaults", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(vaults);
                return ExitCodes.Ok;
            }

            var rows = vaults.OfType<JsonObject>()
                .Select(v => (IReadOnlyList<string>)[CliOutput.Text(v["name"]), CliOutput.Text(v["unmatched"]), CliOutput.Text(v["credentials"]), CliOutput.Text(v["services"])])
                .ToList();
            CliOutput.WriteTable(["name", "unmatched", "credentials", "services"], rows, "no vaults");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateDelete()
    {
        var name = new Argument<string>("NAME") { Description = "Vault name" };
        var command = new Command("delete", "Delete a vault with its credentials and services") { name };
        command.SetAction(async (result, ct) =>
        {
            var vaultName = result.GetRequiredValue(name);
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Delete, $"v1/vaults/{ApiClient.Escape(vaultName)}", null, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"vault {vaultName} deleted");
            return ExitCodes.Ok;
        });
        return command;
    }
}
