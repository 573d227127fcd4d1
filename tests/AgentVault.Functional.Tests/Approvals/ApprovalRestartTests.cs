using System.Net;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Approvals;

/// <summary>Held requests live in the broker process: stopping it denies each one (403 <c>approval_denied</c>), and none reaches the upstream.</summary>
public sealed class ApprovalRestartTests
{
    [Fact]
    public async Task Stop_DeniesEveryHeldRequest()
    {
        await using var broker = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Approval Restart CA", Hosts = ["held.upstream.test"] });
        var upstream = broker.Own(await TestUpstream.StartAsync(broker.UpstreamCa, ["*.upstream.test"]));
        var tokens = await broker.ApplyAndGetTokensAsync($$"""
        vaults:
          - name: dev
            services:
              - name: held
                host: "held.upstream.test:{{upstream.Port}}"
                auth: { type: passthrough }
                rules: { approve: ["* /**"] }
        agents:
          - name: claude
            vaults: [dev]
        """);
        using var client = broker.CreateClient(tokens["claude"]);
        var pending = client.GetAsync($"https://held.upstream.test:{upstream.Port}/restart");
        using (var api = broker.Process.CreateApiClient())
        {
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!(await api.GetStringAsync(new Uri("/v1/approvals?status=pending", UriKind.Relative))).Contains("/restart", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < until, "the request was never held");
                await Task.Delay(100);
            }
        }

        Assert.Equal(0, await broker.Process.StopAsync());
        using var response = await pending;

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("approval_denied", response.Headers.GetValues("X-Agent-Vault-Error").Single());
        Assert.Contains("do not survive a restart", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(upstream.Saw("/restart"));
        Assert.Contains("denied 1 held requests", broker.Process.Stdout + broker.Process.Stderr, StringComparison.Ordinal);
    }
}
