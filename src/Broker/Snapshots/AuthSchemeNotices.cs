using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Routing;

namespace AgentVault.Broker.Snapshots;

/// <summary>Reads the notices of the scheme instances in the current route table (the ones serving traffic).</summary>
internal sealed class AuthSchemeNotices : IAuthSchemeNotices
{
    private readonly SnapshotPublisher _snapshots;

    public AuthSchemeNotices(SnapshotPublisher snapshots) => _snapshots = snapshots;

    public IReadOnlyList<ServiceNotice> ForVault(string vault) => Collect(_snapshots.Current.Routes, vault);

    public static IReadOnlyList<ServiceNotice> Collect(RouteTable table, string vault)
    {
        var routes = table.FindVault(vault);
        if (routes is null)
        {
            return [];
        }

        var result = new List<ServiceNotice>();
        foreach (var route in routes.Services.OrderBy(r => r.Order))
        {
            if (route.Scheme is IAuthSchemeStatus status)
            {
                result.AddRange(status.Notices.Select(n => new ServiceNotice(route.Name, n.CredentialKey, n.Message)));
            }
        }

        return result;
    }
}
