using System.CommandLine;
using System.Text.Json.Nodes;
using AgentVault.Broker.Operations;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>migrate --from DATABASE_URL --to DATABASE_URL [--force] [--json]</c>: copies every table between SQLite and PostgreSQL (docs/backup-and-migrate.md).</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "Source database: sqlite:PATH or postgres://… (read in one snapshot, never written)", HelpName = "DATABASE_URL", Required = true };
        var to = new Option<string>("--to") { Description = "Destination database: sqlite:PATH or postgres://… (migrated to this version first)", HelpName = "DATABASE_URL", Required = true };
        var force = new Option<bool>("--force") { Description = "Replace everything in a destination that already holds data" };
        var json = CliOptions.Json();
        var command = new Command("migrate", "Copy everything (configuration, tokens, request log, CA, audit, …) from one database to another") { from, to, force, json };
        command.SetAction(async (result, ct) =>
        {
            var dataDir = CliEnvironment.DataDir();
            await using var source = OperationsDatabase.Open(result.GetValue(from), dataDir, "--from");
            await using var target = OperationsDatabase.Open(result.GetValue(to), dataDir, "--to");
            var copied = await OperationsCli.RunAsync(() => DatabaseMigration.RunAsync(source, target, result.GetValue(force), ct));
            OperationsCli.WriteCopy(copied, $"copied {{0}} rows in {{1}} tables from {source} to {target} (schema version {copied.SchemaVersion})", result.GetValue(json), new JsonObject
            {
                ["from"] = source.ToString(),
                ["to"] = target.ToString(),
            });
            return ExitCodes.Ok;
        });
        return command;
    }
}
