using System.Globalization;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.WebConsole.Logs;

/// <summary>
/// The request-log filters of <c>/ui/logs</c> and <c>/ui/logs/stream</c>, read from the query string: <c>vault</c>,
/// <c>agent</c>, <c>service</c> and <c>error</c> match exactly; <c>status</c> is <c>ok</c> (below 400 and no error),
/// <c>refused</c> (400 or above, or an error) or a status code. Empty fields do not filter.
/// </summary>
internal sealed record LogFilter
{
    public const string Ok = "ok";
    public const string Refused = "refused";

    public string? Vault { get; init; }

    public string? Agent { get; init; }

    public string? Service { get; init; }

    public string? Status { get; init; }

    public string? Error { get; init; }

    /// <summary>Why <see cref="Status"/> cannot be used, or null; an invalid filter matches nothing.</summary>
    public string? Problem => Status is null or Ok or Refused || IsCode(Status) ? null : "Status must be ok, refused or a status code such as 403.";

    public bool IsEmpty => Vault is null && Agent is null && Service is null && Status is null && Error is null;

    public static LogFilter From(IQueryCollection query) => new()
    {
        Vault = Value(query, "vault"),
        Agent = Value(query, "agent"),
        Service = Value(query, "service"),
        Status = Value(query, "status")?.ToLowerInvariant(),
        Error = Value(query, "error"),
    };

    /// <summary>A refused request: the proxy answered 400 or above, or logged an error code (a CONNECT refusal, say).</summary>
    public static bool IsRefused(RequestLogRecord record) => record.Status >= 400 || record.Error is not null;

    public bool Matches(RequestLogRecord record)
    {
        if (Problem is not null)
        {
            return false;
        }

        return Same(Vault, record.Vault) && Same(Agent, record.Agent) && Same(Service, record.Service) && Same(Error, record.Error) && Status switch
        {
            null => true,
            Ok => !IsRefused(record),
            Refused => IsRefused(record),
            _ => record.Status.ToString(CultureInfo.InvariantCulture) == Status,
        };
    }

    /// <summary>The filters as a query string (<c>?agent=a&amp;status=refused</c>), or empty.</summary>
    public string ToQuery()
    {
        var parts = new List<string>();
        Add(parts, "vault", Vault);
        Add(parts, "agent", Agent);
        Add(parts, "service", Service);
        Add(parts, "status", Status);
        Add(parts, "error", Error);
        return parts.Count == 0 ? string.Empty : "?" + string.Join('&', parts);
    }

    private static bool IsCode(string status) =>
        status.Length == 3 && int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599;

    private static bool Same(string? wanted, string? actual) => wanted is null || string.Equals(wanted, actual, StringComparison.Ordinal);

    private static string? Value(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.ToString().Trim() is { Length: > 0 } value ? value : null;

    private static void Add(List<string> parts, string name, string? value)
    {
        if (value is not null)
        {
            parts.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }
}
