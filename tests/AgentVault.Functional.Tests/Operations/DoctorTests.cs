using System.Text.Json;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Operations;

/// <summary><c>agent-vault doctor</c> on the broker host, against the real broker: each check's ok case, then its failure.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DoctorTests
{
    [Fact]
    public async Task HealthyBroker_EveryCheckOk_ButUnpinnedPluginsWarn_AndExit0()
    {
        await using var broker = await BrokerProcess.StartAsync();

        var result = await broker.Cli.RunAsync("doctor", "--plugins-lock", Path.Combine(broker.WorkDir, "no-such.lock"), "--json");

        var checks = Checks(CliAssert.Json(result));
        Assert.Equal("ok", checks["permissions"]);
        Assert.Equal("ok", checks["database"]);
        Assert.Equal("ok", checks["ca-expiry"]);
        Assert.Equal("ok", checks["server"]);
        Assert.Equal("ok", checks["clock-api"]);
        Assert.Equal("ok", checks["plugin-loaded"]);
        Assert.Equal("ok", checks["store"]);
        Assert.Equal("warn", checks["plugins-pinned"]);

        // The text form: one line per check, status first.
        var text = CliAssert.Ok(await broker.Cli.RunAsync("doctor", "--plugins-lock", Path.Combine(broker.WorkDir, "no-such.lock")));
        Assert.Contains(text.Lines, l => l.StartsWith("ok    database ", StringComparison.Ordinal));
        Assert.Contains(text.Lines, l => l.StartsWith("warn  plugins-pinned ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EachProblem_FailsItsCheck_AndExits1()
    {
        await using var broker = await BrokerProcess.StartAsync();

        // A pinned plugin folder passes; a lock whose hash no longer matches fails.
        var plugins = Path.Combine(Path.GetDirectoryName(TestPaths.BrokerDll)!, "plugins");
        var lockFile = Path.Combine(broker.WorkDir, "plugins.lock");
        CliAssert.Ok(await broker.Cli.RunAsync("plugins", "lock", "--plugins-dir", plugins, "--plugins-lock", lockFile));
        Assert.Equal("ok", Checks(CliAssert.Json(await broker.Cli.RunAsync("doctor", "--plugins-lock", lockFile, "--json")))["plugins-pinned"]);
        var pins = await File.ReadAllLinesAsync(lockFile);
        var first = Array.FindIndex(pins, l => System.Text.RegularExpressions.Regex.IsMatch(l, "[0-9a-f]{64}"));
        pins[first] = System.Text.RegularExpressions.Regex.Replace(pins[first], "[0-9a-f]{64}", new string('0', 64));
        await File.WriteAllLinesAsync(lockFile, pins);

        // A store that cannot be read, and a data directory others may write to.
        var garbage = Path.Combine(broker.WorkDir, "garbage.enc");
        await File.WriteAllTextAsync(garbage, "not an encrypted store");
        CliAssert.Ok(await broker.Cli.RunAsync("store", "add", "broken", "--type", "file", "--set", "path=" + garbage));
        File.SetUnixFileMode(broker.DataDir, File.GetUnixFileMode(broker.DataDir) | UnixFileMode.OtherWrite);

        var result = await broker.Cli.RunAsync("doctor", "--plugins-lock", lockFile, "--json");

        CliAssert.Failed(result);
        using var answer = JsonDocument.Parse(result.Stdout);
        Assert.False(answer.RootElement.GetProperty("ok").GetBoolean());
        var all = answer.RootElement.GetProperty("checks").EnumerateArray().ToList();
        Assert.Contains(all, c => c.GetProperty("name").GetString() == "permissions" && c.GetProperty("status").GetString() == "fail" && c.GetProperty("detail").GetString()!.Contains("chmod", StringComparison.Ordinal));
        Assert.Contains(all, c => c.GetProperty("name").GetString() == "plugins-pinned" && c.GetProperty("status").GetString() == "fail");
        Assert.Contains(all, c => c.GetProperty("name").GetString() == "store" && c.GetProperty("status").GetString() == "fail" && c.GetProperty("detail").GetString()!.StartsWith("broken:", StringComparison.Ordinal));
        Assert.Contains(all, c => c.GetProperty("name").GetString() == "store" && c.GetProperty("status").GetString() == "ok");
    }

    [Fact]
    public async Task UnreachableDatabaseAndServer_FailAndWarn_WithoutThePassword()
    {
        var work = Directory.CreateTempSubdirectory("agent-vault-doctor-").FullName;
        try
        {
            var cli = new CliRunner(new Dictionary<string, string?> { ["AGENT_VAULT_ADDR"] = "http://127.0.0.1:9", ["AGENT_VAULT_ADMIN_TOKEN"] = "ava_not-a-real-token" });

            var result = await cli.RunAsync("doctor", "--data-dir", work, "--database-url", "postgres://av:hunter2-secret@127.0.0.1:1/agent_vault");

            CliAssert.Failed(result);
            Assert.Contains(result.Lines, l => l.StartsWith("fail  database ", StringComparison.Ordinal) && l.Contains("cannot use postgres://av@127.0.0.1:1/agent_vault", StringComparison.Ordinal));
            Assert.Contains(result.Lines, l => l.StartsWith("warn  server ", StringComparison.Ordinal));
            Assert.DoesNotContain("hunter2", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static Dictionary<string, string> Checks(JsonElement answer)
    {
        // A check that appears several times (one per store or plugin) is as good as its worst line.
        var order = new[] { "ok", "warn", "fail" };
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var check in answer.GetProperty("checks").EnumerateArray())
        {
            var name = check.GetProperty("name").GetString()!;
            var status = check.GetProperty("status").GetString()!;
            checks[name] = checks.TryGetValue(name, out var seen) && Array.IndexOf(order, seen) > Array.IndexOf(order, status) ? seen : status;
        }

        return checks;
    }
}
