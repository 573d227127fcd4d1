using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentVault.Functional.Tests.Docs;

/// <summary>
/// Reads the runnable examples of a Markdown document: every block fenced as <c>```console</c>, where a line starting with
/// <c>$ </c> is a command (a trailing backslash continues it on the next line) and the lines after it, up to the next
/// command, are its output. Blocks fenced otherwise (<c>sh</c>, <c>yaml</c>, …) are illustrations and are not run.
/// </summary>
internal static partial class MarkdownExamples
{
    public static List<DocumentedBlock> Read(string path)
    {
        var name = Path.GetFileName(path);
        var lines = File.ReadAllLines(path);
        var blocks = new List<DocumentedBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (!fence.Success)
            {
                continue;
            }

            var server = fence.Groups[1].Value.Trim() == "server";
            var start = i + 1;
            var end = start;
            while (end < lines.Length && lines[end].TrimEnd() != "```")
            {
                end++;
            }

            blocks.Add(new DocumentedBlock($"{name}:{start}", server, Commands(name, lines, start, end)));
            i = end;
        }

        return blocks;
    }

    private static List<DocumentedCommand> Commands(string name, string[] lines, int start, int end)
    {
        var commands = new List<DocumentedCommand>();
        var i = start;
        while (i < end)
        {
            if (!lines[i].StartsWith("$ ", StringComparison.Ordinal))
            {
                throw new FormatException($"{name}:{i + 1}: a console block must start with a '$ ' command line: {lines[i]}");
            }

            var source = $"{name}:{i + 1}";
            var command = lines[i][2..];
            while (command.EndsWith('\\') && i + 1 < end)
            {
                command = command + "\n" + lines[++i];
            }

            i++;
            var expected = new List<string>();
            while (i < end && !lines[i].StartsWith("$ ", StringComparison.Ordinal))
            {
                expected.Add(lines[i]);
                i++;
            }

            var exit = 0;
            if (expected.Count > 0 && ExitLine().Match(expected[^1]) is { Success: true } status)
            {
                exit = int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture);
                expected.RemoveAt(expected.Count - 1);
            }

            commands.Add(new DocumentedCommand(source, command, expected, exit));
        }

        return commands;
    }

    [GeneratedRegex(@"^```console(.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^\[exit (\d+)\]$")]
    private static partial Regex ExitLine();
}
