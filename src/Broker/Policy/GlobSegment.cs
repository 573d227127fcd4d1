namespace AgentVault.Broker.Policy;

/// <summary>One pattern segment: <c>**</c>, or literal parts separated by in-segment <c>*</c> (decoded once).</summary>
internal sealed class GlobSegment
{
    public static readonly GlobSegment AnyDepth = new("**", null);

    private GlobSegment(string text, string[]? parts)
    {
        Text = text;
        Parts = parts;
    }

    public string Text { get; }

    public bool IsAnyDepth => Parts is null;

    /// <summary>The literal parts between <c>*</c>s: one for a literal segment, two empty ones for <c>*</c>.</summary>
    private string[]? Parts { get; }

    public static GlobSegment Parse(string text) =>
        text == "**" ? AnyDepth : new GlobSegment(text, text.Split('*').Select(PercentDecoding.Decode).ToArray());

    /// <summary>
    /// Greedy leftmost matching of the parts: each part is searched once, from where the previous one ended, so the
    /// cost is bounded by the segment's length times the pattern's.
    /// </summary>
    public bool Matches(string segment, StringComparison comparison)
    {
        var parts = Parts!;
        if (parts.Length == 1)
        {
            return string.Equals(parts[0], segment, comparison);
        }

        var first = parts[0];
        var last = parts[^1];
        if (segment.Length < first.Length + last.Length || !segment.StartsWith(first, comparison) || !segment.EndsWith(last, comparison))
        {
            return false;
        }

        var position = first.Length;
        var end = segment.Length - last.Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = segment.IndexOf(parts[i], position, end - position, comparison);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        return true;
    }
}
