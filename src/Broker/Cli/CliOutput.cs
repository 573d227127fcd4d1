using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Cli;

/// <summary>Everything the CLI prints on stdout: indented JSON for <c>--json</c>, aligned tables otherwise.</summary>
internal static class CliOutput
{
    private static readonly JsonSerializerOptions Pretty = new(ModelJson.Options)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Compact = new(ModelJson.Options)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void WriteJson(JsonNode? node) => Console.Out.WriteLine(node?.ToJsonString(Pretty) ?? "null");

    /// <summary>One JSON value on one line (for streams such as <c>logs --json</c>).</summary>
    public static void WriteJsonLine(JsonNode? node) => Console.Out.WriteLine(node?.ToJsonString(Compact) ?? "null");

    public static void WriteLine(string line) => Console.Out.WriteLine(line);

    /// <summary>Writes a table with upper-case headers and columns padded to their widest cell; the last column is not padded.</summary>
    public static void WriteTable(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows, string emptyMessage)
    {
        if (rows.Count == 0)
        {
            Console.Out.WriteLine(emptyMessage);
            return;
        }

        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in rows)
        {
            for (var i = 0; i < widths.Length && i < row.Count; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        WriteRow(headers.Select(h => h.ToUpperInvariant()).ToArray(), widths);
        foreach (var row in rows)
        {
            WriteRow(row, widths);
        }
    }

    /// <summary>The text of a scalar, a comma-separated list for an array, empty for null.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => string.Empty,
        JsonArray array => string.Join(",", array.Select(Text)),
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        JsonValue value when value.TryGetValue<bool>(out var b) => b ? "yes" : "no",
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(),
    };

    /// <summary>A timestamp from the API in a compact UTC form, or the text unchanged when it does not parse.</summary>
    public static string Time(JsonNode? node)
    {
        var text = Text(node);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : text;
    }

    public static JsonArray Array(JsonNode? node) =>
        node as JsonArray ?? throw new CliException("the broker answered with an unexpected shape (expected a list)");

    public static JsonObject Object(JsonNode? node) =>
        node as JsonObject ?? throw new CliException("the broker answered with an unexpected shape (expected an object)");

    private static void WriteRow(IReadOnlyList<string> cells, int[] widths)
    {
        var parts = new string[widths.Length];
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Count ? cells[i] : string.Empty;
            parts[i] = i == widths.Length - 1 ? cell : cell.PadRight(widths[i]);
        }

        Console.Out.WriteLine(string.Join("  ", parts).TrimEnd());
    }
}
