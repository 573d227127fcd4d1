using System.Text.Json;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary><c>apply</c> and <c>export</c>: idempotence, round-trip through YAML, prune, validation errors.</summary>
public sealed class ApplyExportTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ApplyExportApply_RoundTripsWithoutChanges()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });
        var cli = broker.Cli;
        var file = await Samples.WriteAsync(broker.WorkDir, "dev.yaml", Samples.DevConfig);

        var first = CliAssert.Json(await cli.RunAsync("apply", "-f", file, "--json"));
        Assert.Contains("vault/dev", first.GetProperty("created").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(first.GetProperty("tokens").EnumerateArray(), t => t.GetProperty("agent").GetString() == "claude" && t.GetProperty("token").GetString()!.StartsWith("avt_", StringComparison.Ordinal));

        var exported = CliAssert.Ok(await cli.RunAsync("export")).Stdout;
        Assert.Contains("api.openai.com", exported, StringComparison.Ordinal);
        Assert.DoesNotContain("avt_", exported, StringComparison.Ordinal);
        var exportFile = await Samples.WriteAsync(broker.WorkDir, "exported.yaml", exported);

        var again = CliAssert.Ok(await cli.RunAsync("apply", "-f", exportFile));
        Assert.Equal("no changes", again.Stdout.Trim());
        var reapplied = CliAssert.Ok(await cli.RunAsync("apply", "-f", file));
        Assert.Equal("no changes", reapplied.Stdout.Trim());

        Assert.Equal(exported, CliAssert.Ok(await cli.RunAsync("export")).Stdout);
        var exportedJson = CliAssert.Json(await cli.RunAsync("export", "--json"));
        var dev = exportedJson.GetProperty("vaults").EnumerateArray().Single(v => v.GetProperty("name").GetString() == "dev");
        Assert.Equal("10s", dev.GetProperty("credentials").GetProperty("GITHUB_TOKEN").GetProperty("ttl").GetString());
        var local = exportedJson.GetProperty("stores").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "local");
        Assert.Equal("0", local.GetProperty("cache").GetProperty("max_stale").GetString());
    }

    [Fact]
    public async Task ApplyWithPrune_DeletesWhatTheFileNoLongerNames()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });
        var cli = broker.Cli;
        var file = await Samples.WriteAsync(broker.WorkDir, "dev.yaml", Samples.DevConfig);
        CliAssert.Ok(await cli.RunAsync("apply", "-f", file));
        var smaller = await Samples.WriteAsync(broker.WorkDir, "smaller.yaml", """
            stores:
              - name: local
                type: file
            vaults:
              - name: dev
                credentials:
                  OPENAI_KEY: "local:openai"
                services:
                  - name: openai
                    host: api.openai.com
                    auth: { type: bearer, token: OPENAI_KEY }
            """);

        var withoutPrune = CliAssert.Json(await cli.RunAsync("apply", "-f", smaller, "--json"));
        Assert.Empty(withoutPrune.GetProperty("deleted").EnumerateArray());
        Assert.Contains(CliAssert.Ok(await cli.RunAsync("vault", "list")).Lines, l => l.StartsWith("ops ", StringComparison.Ordinal));

        var pruned = CliAssert.Json(await cli.RunAsync("apply", "-f", smaller, "--prune", "--json"));
        var deleted = pruned.GetProperty("deleted").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("vault/ops", deleted);
        Assert.Contains("agent/claude", deleted);
        Assert.Contains("service/dev/github", deleted);
        Assert.DoesNotContain(CliAssert.Ok(await cli.RunAsync("vault", "list")).Lines, l => l.StartsWith("ops ", StringComparison.Ordinal));
        Assert.DoesNotContain("claude", CliAssert.Ok(await cli.RunAsync("agent", "list")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidFile_ReportsEveryProblemWithItsPathAndExits1()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });
        var file = await Samples.WriteAsync(broker.WorkDir, "bad.yaml", """
            vaults:
              - name: dev
                credentials:
                  lower_case: "nostore:x"
                services:
                  - name: bad
                    host: 10.0.0.1
                    auth: { type: bearer, token: MISSING }
            """);

        var result = CliAssert.Failed(await broker.Cli.RunAsync("apply", "-f", file));

        var errors = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count >= 3, result.ToString());
        Assert.Contains(errors, e => e.StartsWith("error: vaults[0].services[0].host: ", StringComparison.Ordinal));
        Assert.Empty(CliAssert.Json(await broker.Cli.RunAsync("vault", "list", "--json")).EnumerateArray());
    }

    [Fact]
    public async Task ApplyFromStdin_Works()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });

        CliAssert.Ok(await broker.Cli.RunAsync(["apply", "-f", "-"], stdin: "vaults:\n  - name: piped\n"));

        var vaults = CliAssert.Json(await broker.Cli.RunAsync("vault", "list", "--json"));
        Assert.Contains(vaults.EnumerateArray(), v => v.GetProperty("name").GetString() == "piped");
    }
}
