using System.Text;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>Prints environment variables for <c>env --format sh|dotenv|json</c>.</summary>
internal static class EnvFormatter
{
    public static string Format(IReadOnlyList<KeyValuePair<string, string>> variables, string format) => format switch
    {
        "sh" => string.Concat(variables.Select(v => $"export {v.Key}={ShellQuote(v.Value)}\n")),
        "dotenv" => string.Concat(variables.Select(v => $"{v.Key}={DotenvQuote(v.Value)}\n")),
        "json" => new JsonObject(variables.Select(v => new KeyValuePair<string, JsonNode?>(v.Key, v.Value))).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n",
        _ => throw new CliException($"unknown format '{format}' (use sh, dotenv or json)", ExitCodes.Usage),
    };

    /// <summary>POSIX shell single quoting: every character literal, a quote written as <c>'\''</c>.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Plain when safe, else double-quoted with backslash escapes (the common dotenv dialect).</summary>
    public static string DotenvQuote(string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "_./:@,%+=-".Contains(c, StringComparison.Ordinal)))
        {
            return value;
        }

        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '$' => "\\$",
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
