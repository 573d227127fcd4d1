using System.Collections.Concurrent;
using AgentVault.Broker.Routing;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>Notices of live auth schemes per vault, set by the test.</summary>
internal sealed class FakeAuthSchemeNotices : IAuthSchemeNotices
{
    public ConcurrentDictionary<string, List<ServiceNotice>> ByVault { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<ServiceNotice> ForVault(string vault) => ByVault.TryGetValue(vault, out var notices) ? notices : [];
}
