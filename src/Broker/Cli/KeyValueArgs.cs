using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli;

/// <summary>Parses repeated <c>key=value</c> arguments; dotted keys build nested objects (<c>auth.method=approle</c>).</summary>
internal static class KeyValueArgs
{
    public static (string Key, string Value) Split(string argument, string optionName)
    {
        var equals = argument.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new CliException($"{optionName} expects KEY=VALUE, got '{(equals < 0 ? argument : string.Empty)}'", ExitCodes.Usage);
        }

        return (argument[..equals].Trim(), argument[(equals + 1)..]);
    }

    public static JsonObject ToObject(IEnumerable<string> arguments, string optionName)
    {
        var root = new JsonObject();
        foreach (var argument in arguments)
        {
            var (key, value) = Split(argument, optionName);
            Set(root, key, value, optionName);
        }

        return root;
    }

    public static void Set(JsonObject root, string dottedKey, string value, string optionName)
    {
        var parts = dottedKey.Split('.');
        if (parts.Any(string.IsNullOrWhiteSpace))
        {
            throw new CliException($"{optionName}: '{dottedKey}' is not a valid key", ExitCodes.Usage);
        }

        var node = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (!node.TryGetPropertyValue(parts[i], out var child))
            {
                child = new JsonObject();
                node[parts[i]] = child;
            }

            node = child as JsonObject
                ?? throw new CliException($"{optionName}: '{string.Join('.', parts[..(i + 1)])}' is set both to a value and to nested keys", ExitCodes.Usage);
        }

        var last = parts[^1];
        if (node[last] is JsonObject)
        {
            throw new CliException($"{optionName}: '{dottedKey}' is set both to a value and to nested keys", ExitCodes.Usage);
        }

        node[last] = value;
    }
}
