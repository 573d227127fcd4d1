using System.CommandLine;
using System.Text.Json.Nodes;
using AgentVault.Broker.Operations;
using AgentVault.Broker.Security;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>restore FILE [--force] [--database-url URL] [--data-dir DIR] [--key-file FILE] [--password-stdin] [--json]</c>: a backup back into an empty database.</summary>
internal static class RestoreCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A file written by agent-vault backup" };
        var force = new Option<bool>("--force") { Description = "Replace everything in a database that already holds data" };
        var options = new OperationsOptions();
        var json = CliOptions.Json();
        var command = new Command("restore", "Restore a backup into the database (refused when it holds data, unless --force); stop servers using it first") { file, force };
        options.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (result, ct) =>
        {
            var path = Path.GetFullPath(result.GetValue(file)!);
            await using var target = OperationsCli.Open(() => options.DatabaseOf(result));
            var unlock = OperationsCli.Open(() => options.UnlockOf(result));
            if (target.Location.SqlitePath is { } sqlite && Path.GetDirectoryName(sqlite) == options.DataDirOf(result))
            {
                // The default location: create the data directory owner-only, as the server would.
                Server.DataDirectory.Ensure(options.DataDirOf(result));
            }

            var (copied, usesKeyFile) = await OperationsCli.RunAsync(() => DatabaseBackup.RestoreAsync(path, target, unlock, result.GetValue(force), ct));
            var keyFileNote = usesKeyFile ? PlaceKeyFile(unlock, options.DataDirOf(result)) : null;
            OperationsCli.WriteCopy(copied, $"restored {{0}} rows in {{1}} tables into {target} (schema version {copied.SchemaVersion})", result.GetValue(json), new JsonObject
            {
                ["file"] = path,
                ["database"] = target.ToString(),
                ["key_file"] = keyFileNote,
            });
            return ExitCodes.Ok;
        });
        return command;
    }

    // A --dev backup is unlocked by its key file; the server on the restored data looks for it in its data directory.
    private static string PlaceKeyFile(KeyUnlock unlock, string dataDir)
    {
        var destination = Path.Combine(dataDir, MasterKeyOptions.KeyFileName);
        if (!string.Equals(Path.GetFullPath(unlock.KeyFilePath), destination, StringComparison.Ordinal) && !File.Exists(destination))
        {
            Server.DataDirectory.Ensure(dataDir);
            PrivateFile.WriteNew(destination, File.ReadAllBytes(unlock.KeyFilePath));
        }

        return destination;
    }
}
