using System.Net;
using AgentVault.Broker.Routing;

namespace AgentVault.Broker.Tests.Management;

public sealed class CredentialCheckWarningTests
{
    [Fact]
    public async Task SchemeNotice_IsAWarningOnItsKey()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);
        host.Notices.ByVault["dev"] =
        [
            new ServiceNotice("github", "GITHUB_TOKEN", "stale: the token endpoint rotated this refresh token"),
            new ServiceNotice("github", "NOT_A_KEY_OF_THE_VAULT", "ignored"),
        ];

        var lines = (await host.PostJsonAsync(host.Admin, "v1/vaults/dev/credentials/check", new { }, HttpStatusCode.OK)).AsArray();

        var github = lines.Single(l => (string?)l!["key"] == "GITHUB_TOKEN")!;
        Assert.True((bool)github["ok"]!);
        Assert.Equal(["service 'github': stale: the token endpoint rotated this refresh token"], github["warnings"]!.AsArray().Select(w => (string?)w));
        Assert.Empty(lines.Single(l => (string?)l!["key"] == "TG_TOKEN")!["warnings"]!.AsArray());
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public async Task NoNotices_EveryLineHasEmptyWarnings()
    {
        await using var host = await ManagementTestHost.StartAsync();
        await host.ApplyAsync(ConfigJson.Valid);

        var lines = (await host.PostJsonAsync(host.Admin, "v1/vaults/dev/credentials/check", new { }, HttpStatusCode.OK)).AsArray();

        Assert.All(lines, l => Assert.Empty(l!["warnings"]!.AsArray()));
    }
}
