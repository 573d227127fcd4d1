namespace AgentVault.Broker.Model;

/// <summary>Parses the <c>redact</c> setting (<c>off</c>, <c>on</c>, <c>strict</c>; default <c>on</c>).</summary>
internal static class RedactionModes
{
    public static RedactionMode Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "off" => RedactionMode.Off,
        "strict" => RedactionMode.Strict,
        _ => RedactionMode.On,
    };
}
