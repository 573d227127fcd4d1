namespace AgentVault.Broker.Forwarding;

/// <summary>The <c>redact</c> setting of a service.</summary>
internal enum RedactionMode
{
    /// <summary>Responses pass unchanged.</summary>
    Off,

    /// <summary>Default: response headers and uncompressed textual bodies are redacted; compressed bodies pass.</summary>
    On,

    /// <summary>As <see cref="On"/> for every uncompressed body whatever its type; the broker asks upstream for identity encoding and refuses a compressed answer.</summary>
    Strict,
}
