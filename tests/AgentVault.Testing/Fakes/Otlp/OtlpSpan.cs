namespace AgentVault.Testing.Fakes.Otlp;

/// <summary>One span of an OTLP trace export, as far as tests look at it.</summary>
public sealed record OtlpSpan(
    string Scope,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    IReadOnlyDictionary<string, string> Attributes,
    int StatusCode)
{
    /// <summary>OTLP <c>SPAN_KIND_SERVER</c>.</summary>
    public const int ServerKind = 2;

    /// <summary>OTLP <c>SPAN_KIND_CLIENT</c>.</summary>
    public const int ClientKind = 3;

    /// <summary>OTLP <c>STATUS_CODE_ERROR</c>.</summary>
    public const int ErrorStatus = 2;

    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;

    public override string ToString() =>
        $"{Name} [{Scope}] span {SpanId} parent {(ParentSpanId.Length == 0 ? "-" : ParentSpanId)} {string.Join(", ", Attributes.Select(a => a.Key + "=" + a.Value))}";
}
