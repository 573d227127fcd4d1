namespace AgentVault.Fuzz;

/// <summary>
/// The fuzz targets by name. A target returns normally on any input the parser accepts or rejects the way it documents
/// (false, null, a <see cref="FormatException"/> where that is its contract); any other exception, or a broken invariant
/// (<see cref="FuzzInvariantException"/>), escapes and is a crash for AFL.
/// </summary>
internal static class FuzzTargets
{
    public static IReadOnlyDictionary<string, Action<byte[]>> All { get; } = new SortedDictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["connect-head"] = ConnectTargets.ConnectHead,
        ["proxy-authorization"] = ConnectTargets.ProxyAuthorization,
        ["host-pattern"] = RoutingTargets.HostPattern,
        ["path-glob"] = RoutingTargets.PathGlob,
        ["rules"] = PolicyTargets.Rules,
        ["request-path"] = PolicyTargets.RequestPath,
        ["credential-reference"] = SecretsTargets.CredentialReference,
        ["duration"] = LimitTargets.Duration,
        ["rate-limit"] = LimitTargets.RateLimit,
        ["config"] = ConfigTarget.Run,
        ["websocket-frame"] = WebSocketTargets.Frames,
        ["sigv4"] = SigV4Target.Run,
    };
}
