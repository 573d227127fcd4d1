namespace AgentVault.Broker.Model;

/// <summary>The <c>redact</c> setting of a service.</summary>
internal enum RedactionMode
{
    /// <summary>Responses pass unchanged.</summary>
    Off,

    /// <summary>Default: response headers, trailers and textual bodies (decoded when compressed) are redacted; binary bodies pass.</summary>
    On,

    /// <summary>As <see cref="On"/> for every body whatever its type; <c>Range</c>/<c>If-Range</c> never reach the upstream.</summary>
    Strict,
}
