using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>plugins list [--json]</c>: loaded and failed plugins with the store types and auth schemes they add; <c>plugins lock</c> pins them.</summary>
internal static class PluginsCommands
{
    public static Command Create()
    {
        var json = CliOptions.Json();
        var list = new Command("list", "List plugins: status, version, store types and auth schemes") { json };
        list.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var plugins = CliOutput.Array(await api.GetAsync("v1/plugins", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(plugins);
                return ExitCodes.Ok;
            }

            var rows = plugins.OfType<JsonObject>()
                .Select(p => (IReadOnlyList<string>)[
                    CliOutput.Text(p["name"]),
                    CliOutput.Text(p["version"]),
                    CliOutput.Text(p["status"]),
                    CliOutput.Text(p["store_types"]),
                    CliOutput.Text(p["auth_schemes"]),
                    CliOutput.Text(p["error"])])
                .ToList();
            CliOutput.WriteTable(["name", "version", "status", "store types", "auth schemes", "error"], rows, "no plugins");
            return ExitCodes.Ok;
        });
        return new Command("plugins", "Inspect and pin plugins") { list, PluginsLockCommand.Create() };
    }
}
