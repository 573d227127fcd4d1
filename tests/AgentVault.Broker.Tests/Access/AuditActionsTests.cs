using System.Text.RegularExpressions;
using AgentVault.Broker.Management;
using Microsoft.AspNetCore.Routing;

namespace AgentVault.Broker.Tests.Access;

/// <summary>
/// Every changing management route has its audit action (SPEC §14). Read from the sources like the folder test: each
/// <c>MapPost/MapPut/MapDelete</c> on the API's groups must be listed in <see cref="AuditActions"/>.
/// </summary>
public sealed partial class AuditActionsTests
{
    [Fact]
    public void EveryChangingRoute_HasAnAuditAction()
    {
        var broker = Path.Combine(AgentVault.Testing.Broker.TestPaths.RepoRoot, "src", "Broker");
        var routes = Directory.EnumerateFiles(broker, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => ChangingRoute().Matches(File.ReadAllText(f)))
            .Select(m => $"{m.Groups[2].Value.ToUpperInvariant()} /v1{m.Groups[3].Value}")
            .Where(r => !r.Contains("/v1/auth/", StringComparison.Ordinal))
            .ToList();

        Assert.True(routes.Count > 20, "the routes were not found");
        Assert.Empty(routes.Except(AuditActions.Listed));
    }

    [Fact]
    public void Summaries_NameTheRouteValues()
    {
        var values = new RouteValueDictionary { ["vault"] = "dev", ["name"] = "github" };
        Assert.Equal(("service.delete", "deleted service github of vault dev"), AuditActions.For("DELETE", "/v1/vaults/{vault}/services/{name}", values));
        Assert.Equal(("api.patch", "PATCH /v1/vaults/dev"), AuditActions.For("PATCH", "/v1/vaults/{vault}", values));
        Assert.Null(AuditActions.For("POST", "/v1/stores/{name}/test", values).Action);
    }

    [GeneratedRegex(@"\b(admin|v1)\.Map(Post|Put|Delete)\(""(/[^""]*)""")]
    private static partial Regex ChangingRoute();
}
