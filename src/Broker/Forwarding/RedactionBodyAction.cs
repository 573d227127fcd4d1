namespace AgentVault.Broker.Forwarding;

/// <summary>What happens to a response body (see <see cref="RedactionPolicy.Decide"/>).</summary>
internal enum RedactionBodyAction
{
    /// <summary>Forward untouched (redaction off, no body, binary type, or compressed in <c>on</c> mode).</summary>
    Pass,

    /// <summary>Stream it through <see cref="RedactingStream"/>; drop <c>Content-Length</c>.</summary>
    Redact,

    /// <summary>Strict mode and the upstream answered compressed: fail closed (502).</summary>
    Refuse,
}
