using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>State lives in the data directory: a restart keeps configuration, agents, tokens and the admin token.</summary>
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Restart_KeepsAllStateAndDoesNotPrintTheAdminTokenAgain()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });
        Assert.True(broker.PrintedAdminTokenThisRun, broker.Stdout);
        var adminToken = broker.AdminToken;
        var file = await Samples.WriteAsync(broker.WorkDir, "dev.yaml", Samples.DevConfig);
        CliAssert.Ok(await broker.Cli.RunAsync(["secret", "set", "local:openai"], stdin: "sk-restart"));
        CliAssert.Ok(await broker.Cli.RunAsync(["secret", "set", "local:github"], stdin: "ghp-restart"));
        CliAssert.Ok(await broker.Cli.RunAsync("apply", "-f", file));
        var token = CliAssert.Json(await broker.Cli.RunAsync("agent", "create", "survivor", "--vault", "dev", "--json")).GetProperty("token").GetString()!;
        var exportBefore = CliAssert.Ok(await broker.Cli.RunAsync("export")).Stdout;
        var caBefore = CliAssert.Ok(await broker.Cli.RunAsync("ca", "fetch")).Stdout;

        await broker.RestartAsync();

        Assert.False(broker.PrintedAdminTokenThisRun);
        Assert.DoesNotContain(adminToken, broker.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ava_", broker.Stdout, StringComparison.Ordinal);
        var cli = broker.Cli.With("AGENT_VAULT_ADMIN_TOKEN", adminToken);
        Assert.Equal(exportBefore, CliAssert.Ok(await cli.RunAsync("export")).Stdout);
        Assert.Equal(caBefore, CliAssert.Ok(await cli.RunAsync("ca", "fetch")).Stdout);
        Assert.Contains(CliAssert.Ok(await cli.RunAsync("secret", "list", "local")).Lines, l => l == "openai");
        Assert.Contains(CliAssert.Ok(await cli.RunAsync("agent", "list")).Lines, l => l.StartsWith("survivor ", StringComparison.Ordinal));
        var check = CliAssert.Json(await cli.RunAsync("vault", "credential", "check", "--vault", "dev", "--json"));
        Assert.All(check.EnumerateArray(), c => Assert.True(c.GetProperty("ok").GetBoolean(), c.ToString()));

        var env = CliAssert.Json(await broker.Cli.With("AGENT_VAULT_TOKEN", token).RunAsync("env", "--format", "json"));
        Assert.Contains(Uri.EscapeDataString(token) + ":dev@", env.GetProperty("HTTPS_PROXY").GetString(), StringComparison.Ordinal);
    }
}
