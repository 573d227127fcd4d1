using System.CommandLine;
using System.Text.Json.Nodes;
using AgentVault.Broker.Operations;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>backup -o FILE [--database-url URL] [--data-dir DIR] [--key-file FILE] [--password-stdin] [--json]</c>: an encrypted snapshot, safe while the server runs.</summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "The backup file to write (mode 0600; replaced if it exists)", HelpName = "FILE", Required = true };
        var options = new OperationsOptions();
        var json = CliOptions.Json();
        var command = new Command("backup", "Write an encrypted, consistent snapshot of the whole database (the server may keep running)") { output };
        options.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (result, ct) =>
        {
            var file = Path.GetFullPath(result.GetValue(output)!);
            await using var source = OperationsCli.Open(() => options.DatabaseOf(result));
            var unlock = OperationsCli.Open(() => options.UnlockOf(result));
            var copied = await OperationsCli.RunAsync(() => DatabaseBackup.CreateAsync(source, file, unlock, TimeProvider.System, ct));
            OperationsCli.WriteCopy(copied, $"wrote {file}: {{0}} rows in {{1}} tables from {source} (schema version {copied.SchemaVersion}), encrypted", result.GetValue(json), new JsonObject
            {
                ["file"] = file,
                ["database"] = source.ToString(),
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
