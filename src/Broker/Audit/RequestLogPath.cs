namespace AgentVault.Broker.Audit;

/// <summary>The <c>path</c> of a request-log record: the request path, cut to a bound so one record cannot be made arbitrarily large.</summary>
internal static class RequestLogPath
{
    /// <summary>Longest path kept; a longer one keeps its first characters followed by <c>…</c>.</summary>
    public const int MaxLength = 1024;

    public static string Of(string? path) =>
        string.IsNullOrEmpty(path) ? "/" : path.Length <= MaxLength ? path : string.Concat(path.AsSpan(0, MaxLength), "…");
}
