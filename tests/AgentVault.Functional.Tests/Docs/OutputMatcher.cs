using System.Text;
using System.Text.RegularExpressions;

namespace AgentVault.Functional.Tests.Docs;

/// <summary>
/// Compares documented output with real output, line by line, trailing spaces ignored. In a documented line, <c>…</c>
/// stands for any text (a token, a time, a path); a line that is only <c>…</c> stands for any number of lines.
/// </summary>
internal static class OutputMatcher
{
    public const string Ellipsis = "…";

    /// <summary>Null when <paramref name="actual"/> matches <paramref name="expected"/>; else what differs.</summary>
    public static string? Compare(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var wanted = expected.Select(l => l.TrimEnd()).ToList();
        var got = actual.Select(l => l.TrimEnd()).ToList();
        return Matches(wanted, 0, got, 0) ? null : Describe(wanted, got);
    }

    /// <summary>Null when every documented line matches a distinct real line, and every real line a documented one, in any order.</summary>
    public static string? CompareUnordered(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var left = actual.Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        var missing = new List<string>();
        foreach (var line in expected.Select(l => l.TrimEnd()).Where(l => l.Length > 0))
        {
            var index = left.FindIndex(a => LineMatches(line, a));
            if (index < 0)
            {
                missing.Add(line);
            }
            else
            {
                left.RemoveAt(index);
            }
        }

        return missing.Count == 0 && left.Count == 0
            ? null
            : $"documented but not printed:\n  {string.Join("\n  ", missing)}\nprinted but not documented:\n  {string.Join("\n  ", left)}";
    }

    public static bool LineMatches(string expected, string actual)
    {
        if (!expected.Contains(Ellipsis, StringComparison.Ordinal))
        {
            return string.Equals(expected, actual, StringComparison.Ordinal);
        }

        var pattern = "^" + string.Join(".*?", expected.Split(Ellipsis).Select(Regex.Escape)) + "$";
        return Regex.IsMatch(actual, pattern, RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    private static bool Matches(List<string> expected, int e, List<string> actual, int a)
    {
        while (true)
        {
            if (e == expected.Count)
            {
                return a == actual.Count;
            }

            if (expected[e] == Ellipsis)
            {
                for (var skip = a; skip <= actual.Count; skip++)
                {
                    if (Matches(expected, e + 1, actual, skip))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (a == actual.Count || !LineMatches(expected[e], actual[a]))
            {
                return false;
            }

            e++;
            a++;
        }
    }

    private static string Describe(List<string> expected, List<string> actual)
    {
        var text = new StringBuilder("documented:\n");
        foreach (var line in expected)
        {
            text.Append("  ").AppendLine(line);
        }

        text.Append("printed:\n");
        foreach (var line in actual)
        {
            text.Append("  ").AppendLine(line);
        }

        return text.ToString();
    }
}
