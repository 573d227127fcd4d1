using System.Text;

namespace AgentVault.Broker.Cli.Agent;

/// <summary>Composes <c>NODE_OPTIONS</c>: the caller's own value, then <c>--require PRELOAD</c>, quoted as Node parses it.</summary>
internal static class NodeOptions
{
    public const string Variable = "NODE_OPTIONS";

    /// <summary>
    /// <paramref name="existing"/> with <c>--require <paramref name="preloadPath"/></c> appended; unchanged when it already
    /// has exactly that option (a nested <c>run</c>, or <c>env</c> evaluated twice).
    /// </summary>
    public static string WithPreload(string? existing, string preloadPath)
    {
        var require = "--require " + Quote(preloadPath);
        var current = existing?.Trim() ?? string.Empty;
        if (current.Length == 0)
        {
            return require;
        }

        return ContainsOption(current, require) ? current : current + " " + require;
    }

    /// <summary>
    /// A path as one NODE_OPTIONS word: Node splits that variable at spaces, except inside double quotes, where a
    /// backslash escapes the next character; a path without spaces or quotes is left as it is.
    /// </summary>
    public static string Quote(string path)
    {
        if (path.Length > 0 && !path.Contains(' ', StringComparison.Ordinal) && !path.Contains('"', StringComparison.Ordinal))
        {
            return path;
        }

        var builder = new StringBuilder("\"");
        foreach (var c in path)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    private static bool ContainsOption(string options, string option)
    {
        var at = 0;
        while ((at = options.IndexOf(option, at, StringComparison.Ordinal)) >= 0)
        {
            var end = at + option.Length;
            if ((at == 0 || options[at - 1] == ' ') && (end == options.Length || options[end] == ' '))
            {
                return true;
            }

            at = end;
        }

        return false;
    }
}
