using System.Globalization;
using System.Text.Json.Nodes;
using AgentVault.Broker.Operations;

namespace AgentVault.Broker.Cli;

/// <summary>What the local operations commands (migrate, backup, restore) share: their failures as CLI errors and the per-table report.</summary>
internal static class OperationsCli
{
    public static async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            return await operation();
        }
        catch (OperationsException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    /// <summary>Runs a synchronous step (opening a database, reading the password) with its failure as a CLI error.</summary>
    public static T Open<T>(Func<T> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            return step();
        }
        catch (OperationsException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    /// <summary>Prints the summary line (<paramref name="summary"/> with {0} rows and {1} tables) and one line per table, or the JSON object.</summary>
    public static void WriteCopy(CopyResult copied, string summary, bool json, JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(copied);
        ArgumentNullException.ThrowIfNull(fields);
        if (json)
        {
            fields["schema_version"] = copied.SchemaVersion;
            fields["rows"] = copied.TotalRows;
            fields["tables"] = new JsonArray([.. copied.Tables.Select(t => (JsonNode)new JsonObject { ["name"] = t.Table, ["rows"] = t.Rows })]);
            CliOutput.WriteJson(fields);
            return;
        }

        CliOutput.WriteLine(string.Format(CultureInfo.InvariantCulture, summary, copied.TotalRows, copied.Tables.Count));
        CliOutput.WriteTable(["table", "rows"], [.. copied.Tables.Select(t => (IReadOnlyList<string>)[t.Table, t.Rows.ToString(CultureInfo.InvariantCulture)])], "no tables");
    }
}
