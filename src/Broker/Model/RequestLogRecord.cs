namespace AgentVault.Broker.Model;

/// <summary>One proxied request (SPEC §9). Never header values, query strings or bodies.</summary>
public sealed record RequestLogRecord
{
    public required DateTimeOffset Time { get; init; }

    public string? Agent { get; init; }

    public string? Vault { get; init; }

    public string? Service { get; init; }

    public required string Method { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>Path without the query string.</summary>
    public required string Path { get; init; }

    public required int Status { get; init; }

    public required long DurationMs { get; init; }

    public long BytesIn { get; init; }

    public long BytesOut { get; init; }

    /// <summary>Credential key names used (never values).</summary>
    public IReadOnlyList<string> Credentials { get; init; } = [];

    /// <summary>Stable error code, or null.</summary>
    public string? Error { get; init; }

    public int Redactions { get; init; }
}
