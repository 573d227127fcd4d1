using System.CommandLine;
using System.Text.Json.Nodes;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>plugins lock [--plugins-dir DIR] [--plugins-lock FILE] [--json]</c>: pins every file of the plugins present (SHA-256) in
/// <c>plugins.lock</c> beside the plugins folder. Local: it reads the folder, not the API, so run it where the server runs.
/// </summary>
internal static class PluginsLockCommand
{
    public static Command Create()
    {
        var pluginsDir = new Option<string>("--plugins-dir") { Description = "Plugin directory (default: AGENT_VAULT_PLUGINS_DIR, else <app dir>/plugins)", HelpName = "DIR" };
        var lockFile = new Option<string>("--plugins-lock") { Description = "File to write (default: AGENT_VAULT_PLUGINS_LOCK, else plugins.lock beside the plugin directory)", HelpName = "FILE" };
        var json = CliOptions.Json();
        var command = new Command("lock", "Pin the plugins present: write the SHA-256 of every plugin file to plugins.lock") { pluginsDir, lockFile, json };
        command.SetAction(result =>
        {
            var directory = Path.GetFullPath(result.GetValue(pluginsDir) ?? Variable("AGENT_VAULT_PLUGINS_DIR") ?? Path.Combine(AppContext.BaseDirectory, "plugins"));
            if (!Directory.Exists(directory))
            {
                throw new CliException($"the plugin directory {directory} does not exist");
            }

            var target = Path.GetFullPath(result.GetValue(lockFile) ?? Variable("AGENT_VAULT_PLUGINS_LOCK") ?? PluginLock.DefaultPath(directory));
            var plugins = PluginFileHasher.HashAll(directory);
            Write(target, PluginLock.Format(plugins));

            var files = plugins.Sum(p => p.Files.Count);
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(new JsonObject
                {
                    ["path"] = target,
                    ["plugins"] = new JsonArray([.. plugins.Select(p => (JsonNode)new JsonObject { ["name"] = p.Plugin, ["files"] = p.Files.Count })]),
                });
            }
            else
            {
                CliOutput.WriteLine($"wrote {target}: {plugins.Count} plugin(s), {files} file(s) pinned");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    // Written beside the target and renamed over it, readable by all and writable by the owner only (the server refuses a
    // lock that others could rewrite).
    private static void Write(string path, string content)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(content);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {path}: {ex.Message}");
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
