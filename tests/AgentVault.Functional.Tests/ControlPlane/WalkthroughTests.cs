using System.Text.Json;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>The first steps of a user: start --dev, store a secret, apply a file, create an agent, list things.</summary>
public sealed class WalkthroughTests(ITestOutputHelper output)
{
    [Fact]
    public async Task DevWalkthrough_SecretApplyAgentCreateAndList()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });
        var cli = broker.Cli;

        CliAssert.Ok(await cli.RunAsync(["secret", "set", "local:openai"], stdin: "sk-walkthrough-openai\n"));
        CliAssert.Ok(await cli.RunAsync(["secret", "set", "local:github"], stdin: "ghp_walkthrough"));
        var file = await Samples.WriteAsync(broker.WorkDir, "dev.yaml", Samples.DevConfig);
        var applied = CliAssert.Ok(await cli.RunAsync("apply", "-f", file));
        Assert.Contains("vault/dev", applied.Stdout, StringComparison.Ordinal);

        var created = CliAssert.Ok(await cli.RunAsync("agent", "create", "codex", "--vault", "dev", "--vault", "ops"));
        Assert.Matches(@"token: avt_[A-Za-z0-9_-]{43}", created.Stdout);

        var agents = CliAssert.Ok(await cli.RunAsync("agent", "list"));
        Assert.Contains(agents.Lines, l => l.StartsWith("codex ", StringComparison.Ordinal) && l.Contains("dev,ops", StringComparison.Ordinal));
        Assert.Contains(agents.Lines, l => l.StartsWith("claude ", StringComparison.Ordinal));

        var vaults = CliAssert.Ok(await cli.RunAsync("vault", "list"));
        Assert.Contains(vaults.Lines, l => l.StartsWith("dev ", StringComparison.Ordinal) && l.Contains("deny", StringComparison.Ordinal));
        Assert.Contains(vaults.Lines, l => l.StartsWith("ops ", StringComparison.Ordinal) && l.Contains("passthrough", StringComparison.Ordinal));

        var services = CliAssert.Ok(await cli.RunAsync("vault", "service", "list", "--vault", "dev"));
        Assert.Contains(services.Lines, l => l.StartsWith("github ", StringComparison.Ordinal) && l.Contains("*.github.com", StringComparison.Ordinal));

        var credentials = CliAssert.Ok(await cli.RunAsync("vault", "credential", "list", "--vault", "dev"));
        Assert.Contains(credentials.Lines, l => l.StartsWith("OPENAI_KEY ", StringComparison.Ordinal) && l.Contains("local:openai", StringComparison.Ordinal));

        var check = CliAssert.Json(await cli.RunAsync("vault", "credential", "check", "--vault", "dev", "--json"));
        Assert.Equal(2, check.GetArrayLength());
        foreach (var item in check.EnumerateArray())
        {
            Assert.True(item.GetProperty("ok").GetBoolean(), item.ToString());
            Assert.Equal(3, item.EnumerateObject().Count(p => p.Name is "key" or "ok" or "error"));
        }

        Assert.DoesNotContain("sk-walkthrough-openai", broker.Stdout + broker.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImperativeCommands_BuildTheSameConfigurationAsAFile()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });
        var cli = broker.Cli;

        CliAssert.Ok(await cli.RunAsync(["secret", "set", "local:stripe"], stdin: "sk_test_imperative"));
        CliAssert.Ok(await cli.RunAsync("vault", "create", "pay", "--unmatched", "passthrough"));
        CliAssert.Ok(await cli.RunAsync("vault", "credential", "set", "--vault", "pay", "STRIPE_KEY=local:stripe"));
        CliAssert.Ok(await cli.RunAsync("vault", "service", "add", "--vault", "pay", "--name", "stripe", "--host", "api.stripe.com", "--auth-type", "bearer", "--auth", "token=STRIPE_KEY"));
        var servicesFile = await Samples.WriteAsync(broker.WorkDir, "services.yaml", """
            services:
              - name: stripe-files
                host: files.stripe.com
                auth: { type: bearer, token: STRIPE_KEY }
            """);
        CliAssert.Ok(await cli.RunAsync("vault", "service", "set", "-f", servicesFile, "--vault", "pay"));

        var exported = CliAssert.Ok(await cli.RunAsync("export", "--json"));
        using var document = JsonDocument.Parse(exported.Stdout);
        var vault = document.RootElement.GetProperty("vaults").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "pay");
        Assert.Equal("passthrough", vault.GetProperty("unmatched").GetString());
        Assert.Equal("local:stripe", vault.GetProperty("credentials").GetProperty("STRIPE_KEY").GetString());
        Assert.Equal(new string?[] { "stripe", "stripe-files" }, vault.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("name").GetString()).ToArray());

        CliAssert.Ok(await cli.RunAsync("vault", "service", "remove", "stripe-files", "--vault", "pay"));
        var services = CliAssert.Ok(await cli.RunAsync("vault", "service", "list", "--vault", "pay"));
        Assert.DoesNotContain("stripe-files", services.Stdout, StringComparison.Ordinal);
        Assert.Contains(services.Lines, l => l.StartsWith("stripe ", StringComparison.Ordinal));
        CliAssert.Ok(await cli.RunAsync("vault", "service", "remove", "stripe", "--vault", "pay"));
        CliAssert.Ok(await cli.RunAsync("vault", "credential", "remove", "STRIPE_KEY", "--vault", "pay"));
        var credentials = CliAssert.Ok(await cli.RunAsync("vault", "credential", "list", "--vault", "pay"));
        Assert.DoesNotContain("STRIPE_KEY", credentials.Stdout, StringComparison.Ordinal);
        CliAssert.Ok(await cli.RunAsync("vault", "delete", "pay"));
        var vaults = CliAssert.Ok(await cli.RunAsync("vault", "list"));
        Assert.DoesNotContain(vaults.Lines, l => l.StartsWith("pay ", StringComparison.Ordinal));
    }
}
