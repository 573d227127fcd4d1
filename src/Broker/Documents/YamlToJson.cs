using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentVault.Broker.Documents;

/// <summary>
/// Reads a YAML configuration document into System.Text.Json nodes (the body the API takes).
/// Scalars follow the YAML 1.2 core schema for <c>null</c> and <c>true</c>/<c>false</c>; everything else is a string,
/// so <c>max_stale: 0</c> and <c>ttl: 30</c> reach the server as the strings the model expects. Inside free-form
/// plugin objects (<c>settings</c>, <c>auth</c>) and for <c>max_in_flight</c>, plain numbers stay numbers.
/// </summary>
internal static partial class YamlToJson
{
    private const int MaxNodes = 100_000;

    // An alias can name the collection it sits in (`a: &x [*x]`): without a bound the conversion recursed until the stack
    // overflowed and the process died (found by fuzzing, issue 16). A configuration is a handful of levels deep.
    private const int MaxDepth = 64;
    private static readonly HashSet<string> FreeFormKeys = ["settings", "auth"];
    private static readonly HashSet<string> NumberKeys = ["max_in_flight"];

    /// <summary>Reads a file (or stdin for <c>-</c>) and returns its one document.</summary>
    public static JsonNode ReadFile(string path)
    {
        string text;
        try
        {
            text = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DocumentFormatException($"cannot read {path}: {e.Message}");
        }

        return Parse(text, path == "-" ? "<stdin>" : path);
    }

    public static JsonNode Parse(string text, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new DocumentFormatException($"{sourceName}:{e.Start.Line}:{e.Start.Column}: {StripMarks(e.Message)}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet throws these, not YamlException, on some malformed input (an alias as a key after a NUL, a broken
            // plain scalar); found by the config fuzz target (issue 16). Still the file's fault, not a crash of the CLI.
            throw new DocumentFormatException($"{sourceName} is not valid YAML ({e.Message})");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            throw new DocumentFormatException($"{sourceName} is empty");
        }

        if (stream.Documents.Count > 1)
        {
            throw new DocumentFormatException($"{sourceName} holds {stream.Documents.Count} YAML documents; put the configuration in one");
        }

        var counter = new int[1];
        return Convert(stream.Documents[0].RootNode, typed: false, forceNumber: false, sourceName, counter, depth: 0)
            ?? throw new DocumentFormatException($"{sourceName} is empty");
    }

    private static JsonNode? Convert(YamlNode node, bool typed, bool forceNumber, string sourceName, int[] counter, int depth)
    {
        if (++counter[0] > MaxNodes)
        {
            throw new DocumentFormatException($"{sourceName}: the document is too large (more than {MaxNodes} nodes after expanding aliases)");
        }

        if (depth > MaxDepth)
        {
            throw new DocumentFormatException($"{sourceName}:{node.Start.Line}:{node.Start.Column}: nested more than {MaxDepth} levels deep (or an alias refers to a collection that contains it)");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        throw new DocumentFormatException($"{sourceName}:{keyNode.Start.Line}:{keyNode.Start.Column}: keys must be plain strings");
                    }

                    var childTyped = typed || FreeFormKeys.Contains(key);
                    obj[key] = Convert(valueNode, childTyped, NumberKeys.Contains(key), sourceName, counter, depth + 1);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item, typed, forceNumber: false, sourceName, counter, depth + 1));
                }

                return array;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar, typed || forceNumber);
            default:
                throw new DocumentFormatException($"{sourceName}:{node.Start.Line}:{node.Start.Column}: unsupported YAML node");
        }
    }

    private static JsonValue? ConvertScalar(YamlScalarNode scalar, bool numbers)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (numbers && IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (numbers && FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }

    private static string StripMarks(string message) => MarksPattern().Replace(message, string.Empty);

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarksPattern();
}
