namespace AgentVault.Broker.Policy;

/// <summary>
/// One <c>"METHOD /path/glob"</c> entry: METHOD or <c>*</c>, and a <see cref="SegmentGlob"/> over the request's segments.
/// Methods and paths compare case-insensitively, so case tricks against case-insensitive upstreams do not dodge a deny.
/// </summary>
internal sealed class PathRule
{
    private readonly string? _method;
    private readonly SegmentGlob _path;

    private PathRule(string? method, SegmentGlob path)
    {
        _method = method;
        _path = path;
    }

    /// <summary>Parses an entry; null when it is not <c>METHOD /path</c>.</summary>
    public static PathRule? TryParse(string? text)
    {
        var parts = text?.Trim().Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts is not { Length: 2 } || parts[0].Length == 0 || !parts[1].StartsWith('/'))
        {
            return null;
        }

        var method = parts[0] == "*" ? null : parts[0].ToUpperInvariant();
        return new PathRule(method, SegmentGlob.Create(parts[1], StringComparison.OrdinalIgnoreCase));
    }

    public bool Matches(string method, IReadOnlyList<string> path) =>
        (_method is null || string.Equals(_method, method, StringComparison.OrdinalIgnoreCase)) && _path.Matches(path);

    public override string ToString() => (_method ?? "*") + " " + _path;
}
