namespace AgentVault.Broker.Approvals;

/// <summary>The management API routes of this feature (SPEC §12).</summary>
internal static class ApprovalsEndpoints
{
    /// <summary>Maps routes that check their own tokens on <paramref name="v1"/> and admin-only routes on <paramref name="admin"/>.</summary>
    public static void Map(RouteGroupBuilder v1, RouteGroupBuilder admin)
    {
        _ = v1;
        _ = admin;
    }
}
