using System.Text.Json.Serialization;

namespace AgentVault.Broker.Model;

/// <summary>One proxied request (SPEC §9). Never header values, query strings or bodies. Every field is always present in JSON (null when unknown).</summary>
public sealed record RequestLogRecord
{
    public required DateTimeOffset Time { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Agent { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Vault { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Service { get; init; }

    public required string Method { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>Path without the query string (at most <c>RequestLogPath.MaxLength</c> characters); empty for a CONNECT refusal.</summary>
    public required string Path { get; init; }

    public required int Status { get; init; }

    public required long DurationMs { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }

    /// <summary>Credential key names used (never values).</summary>
    public IReadOnlyList<string> Credentials { get; init; } = [];

    /// <summary>Stable error code, or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Error { get; init; }

    public int Redactions { get; init; }

    /// <summary>For a request an approve rule matched: <c>approved</c>, <c>denied</c>, <c>timeout</c>, <c>cancelled</c> or <c>granted</c> (a standing grant let it pass); else null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Approval { get; init; }

    /// <summary>Who made that decision: <c>admin</c> (the admin token or a console session) or <c>broker</c> (timeout, restart, agent gone).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DecidedBy { get; init; }

    /// <summary>The trace of the request's <c>proxy.request</c> span (32 hex digits) when traces are exported; absent otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TraceId { get; init; }
}
