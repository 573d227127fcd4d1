namespace AgentVault.Broker.Forwarding;

/// <summary>What happens to a response body (see <see cref="RedactionPolicy.Decide"/>).</summary>
internal enum RedactionBodyAction
{
    /// <summary>Forward untouched (redaction off, no body, or a binary type under <c>on</c>).</summary>
    Pass,

    /// <summary>Stream it through <see cref="RedactingStream"/>; drop <c>Content-Length</c>.</summary>
    Redact,

    /// <summary>Decode it (gzip, deflate, br), then redact; it reaches the agent without <c>Content-Encoding</c>.</summary>
    Decode,

    /// <summary>It is in a coding the broker cannot decode: fail closed (502).</summary>
    Refuse,
}
