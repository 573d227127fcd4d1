using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using AgentVault.Broker.Operations;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>doctor [--data-dir DIR] [--database-url URL] [--plugins-dir DIR] [--plugins-lock FILE] [--json]</c>: one line per check,
/// <c>ok|warn|fail  name  detail</c>; exit 1 when any check fails. Run it on the broker host: it reads the data directory and
/// the database itself, and asks the running server (AGENT_VAULT_ADDR, admin token) about stores, loaded plugins and its clock.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var options = new OperationsOptions();
        var pluginsDir = new Option<string>("--plugins-dir") { Description = "Plugin directory (default: AGENT_VAULT_PLUGINS_DIR, else <app dir>/plugins)", HelpName = "DIR" };
        var pluginsLock = new Option<string>("--plugins-lock") { Description = "The plugins.lock in force (default: AGENT_VAULT_PLUGINS_LOCK, else beside the plugin directory)", HelpName = "FILE" };
        var json = CliOptions.Json();
        var command = new Command("doctor", "Check permissions, database, CA expiry, plugins, stores and clocks; one line per check") { pluginsDir, pluginsLock };
        options.AddTo(command, unlock: false);
        command.Options.Add(json);
        command.SetAction(async (result, ct) =>
        {
            var plugins = Path.GetFullPath(result.GetValue(pluginsDir) ?? Variable("AGENT_VAULT_PLUGINS_DIR") ?? Path.Combine(AppContext.BaseDirectory, "plugins"));
            var server = new ServerOptions
            {
                DataDir = options.DataDirOf(result),
                PluginsDir = plugins,
                PluginsLock = Path.GetFullPath(result.GetValue(pluginsLock) ?? Variable("AGENT_VAULT_PLUGINS_LOCK") ?? PluginLock.DefaultPath(plugins)),
            };
            var checks = new List<DoctorCheck> { LocalDoctor.Permissions(server) };
            await using (var database = OperationsCli.Open(() => options.DatabaseOf(result)))
            {
                checks.AddRange(await LocalDoctor.DatabaseAsync(database, TimeProvider.System, ct));
            }

            checks.Add(LocalDoctor.Plugins(server));
            checks.AddRange(await ServerChecksAsync(ct));
            Write(checks, result.GetValue(json));
            return checks.Any(c => c.Status == DoctorCheck.Fail) ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return command;
    }

    // The checks only the running server can answer; an unreachable server is a warning (doctor also serves a stopped broker).
    private static async Task<List<DoctorCheck>> ServerChecksAsync(CancellationToken cancellationToken)
    {
        ApiClient api;
        try
        {
            api = ApiClient.ForAdmin(TimeSpan.FromSeconds(15));
        }
        catch (CliException e)
        {
            return [new(DoctorCheck.Warn, "server", $"not checked ({e.Lines[0]}): stores, loaded plugins and the API clock")];
        }

        using (api)
        {
            var checks = new List<DoctorCheck>();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
                using var response = await api.SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                checks.Add(new(DoctorCheck.Ok, "server", $"{api.Display} answers"));
                if (response.Headers.Date is { } date)
                {
                    checks.Add(LocalDoctor.Skew("clock-api", date - DateTimeOffset.UtcNow, "the API server"));
                }

                foreach (var plugin in CliOutput.Array(await api.GetAsync("/v1/plugins", cancellationToken)).OfType<JsonObject>())
                {
                    var name = CliOutput.Text(plugin["name"]);
                    checks.Add(CliOutput.Text(plugin["status"]) == "loaded"
                        ? new(DoctorCheck.Ok, "plugin-loaded", $"{name} {CliOutput.Text(plugin["version"])}")
                        : new(DoctorCheck.Fail, "plugin-loaded", $"{name}: {CliOutput.Text(plugin["error"])}"));
                }

                foreach (var store in CliOutput.Array(await api.GetAsync("/v1/stores", cancellationToken)).OfType<JsonObject>())
                {
                    var name = CliOutput.Text(store["name"]);
                    var (status, body) = await api.ExchangeAsync(HttpMethod.Post, $"/v1/stores/{ApiClient.Escape(name)}/test", null, cancellationToken);
                    var error = CliOutput.Text(body?["error"] ?? body?["detail"]);
                    checks.Add(status == HttpStatusCode.OK && body?["ok"]?.GetValue<bool>() == true
                        ? new(DoctorCheck.Ok, "store", $"{name} reachable")
                        : new(DoctorCheck.Fail, "store", $"{name}: {(error.Length > 0 ? error : "HTTP " + (int)status)}"));
                }
            }
            catch (CliException e)
            {
                checks.Add(new(DoctorCheck.Warn, "server", $"{e.Lines[0]}; stores, loaded plugins and the API clock not checked"));
            }

            return checks;
        }
    }

    private static void Write(List<DoctorCheck> checks, bool json)
    {
        if (json)
        {
            CliOutput.WriteJson(new JsonObject
            {
                ["ok"] = checks.All(c => c.Status != DoctorCheck.Fail),
                ["checks"] = new JsonArray([.. checks.Select(c => (JsonNode)new JsonObject { ["status"] = c.Status, ["name"] = c.Name, ["detail"] = c.Detail })]),
            });
            return;
        }

        var width = checks.Max(c => c.Name.Length);
        foreach (var check in checks)
        {
            CliOutput.WriteLine($"{check.Status,-4}  {check.Name.PadRight(width)}  {check.Detail}");
        }
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
