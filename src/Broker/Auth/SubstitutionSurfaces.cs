namespace AgentVault.Broker.Auth;

/// <summary>Where a substitution may replace its placeholder (the <c>in</c> list of a substitution).</summary>
[Flags]
internal enum SubstitutionSurfaces
{
    None = 0,
    Path = 1,
    Query = 2,
    Header = 4,
    Body = 8,
    WebSocket = 16,
}
