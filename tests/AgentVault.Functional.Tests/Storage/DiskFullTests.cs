using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Storage;

/// <summary>
/// The broker's data disk fills up under it (docs/reliability.md, "Full data disk"): the SQLite database lives on a small tmpfs
/// only the broker sees (<see cref="PrivateDataDisk"/>), which the test fills to the last byte and frees again. Proxying goes on,
/// the server log and <c>/metrics</c> say why request-log records are not written, management writes answer 503
/// <c>database_unavailable</c> and change nothing, and once there is space again every held record is written and writes
/// succeed, without restarting the broker.
/// </summary>
public sealed partial class DiskFullTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string MasterPassword = "disk full master password";
    private const string Secret = "sk-diskfull-SECRET-3c4d5e";
    private const int FullRequests = 40;
    private const int DiskMegabytes = 32;
    private const string DiskFull = "database or disk is full";

    // The disk stays full until the writer has retried this often (0.25 + 0.5 + 1 s of backoff).
    private const int RetriesWhileFull = 3;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly TestCertificateAuthority _upstreamCa = new("Disk Full Upstream CA");
    private TestUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await TestUpstream.StartAsync(_upstreamCa);

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _upstreamCa.Dispose();
    }

    [Fact]
    public async Task DataDiskFull_ProxyingContinues_WritesAnswer503_AndEveryRequestLogRecordIsWrittenOnceThereIsSpace()
    {
        using var disk = new PrivateDataDisk(DiskMegabytes);
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions
        {
            Dev = false,
            MasterPassword = MasterPassword,
            DataDir = disk.DataDir,
            Launcher = disk.Launcher,
            Log = output.WriteLine,
            Arguments = ["--resolve", "api.upstream.test:127.0.0.1", "--upstream-ca", _upstreamCa.PemPath, "--allow-network", "127.0.0.0/8"],
        });

        // The secrets file is outside the data disk (the broker's work folder): only the database fills up.
        var config = JsonNode.Parse(SharedStoreBroker.Config(_upstream.Port, Path.Combine(broker.WorkDir, "diskfull-secrets.json")))!;
        var token = await broker.ApplyForAgentTokenAsync(config, "claude");
        using (var api = broker.CreateApiClient())
        {
            using var put = await api.PutAsJsonAsync("/v1/stores/shared/secrets/api", new { value = Secret });
            put.EnsureSuccessStatusCode();
        }

        // The test sees only the empty mount point, not the admin token file on the tmpfs: the CLI gets the token itself.
        var cli = broker.Cli.With("AGENT_VAULT_ADMIN_TOKEN", broker.AdminToken);
        var caPath = await broker.WriteCaFileAsync();
        var normal = await SharedStoreBroker.ProxyAsync(broker, _upstream.Port, token, caPath, [.. Enumerable.Range(0, FullRequests).Select(i => "/echo/before-full/" + i.ToString(CultureInfo.InvariantCulture))]);
        Assert.All(normal, r => Assert.Equal("200", r.Status));
        await UntilAsync(async () => await CountLoggedAsync(cli, "/echo/before-full/") == FullRequests, "the records made before the disk filled up", broker);
        var before = await MetricsAsync(broker);

        var filled = await disk.FillAsync(broker);
        output.WriteLine($"filled the {DiskMegabytes} MiB data disk with {filled} bytes; {await disk.AvailableBytesAsync(broker)} bytes left");

        // Proxying goes on, with the credential injected; each record has its own path, so the log can be counted afterwards.
        var prefix = "/echo/full-" + Guid.NewGuid().ToString("N")[..12] + "/";
        var paths = Enumerable.Range(0, FullRequests).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var full = await SharedStoreBroker.ProxyAsync(broker, _upstream.Port, token, caPath, paths);
        Assert.All(full, r => Assert.Equal("200", r.Status));
        var injected = await CurlEchoAsync(broker, token, caPath, prefix + "injected");
        Assert.Contains("Bearer " + Secret, injected, StringComparison.Ordinal);

        // A management write (a new agent, so apply has something to save): 503 database_unavailable, nothing changed.
        var changed = config.DeepClone();
        changed["agents"]!.AsArray().Add(new JsonObject { ["name"] = "helper", ["vaults"] = new JsonArray("dev") });
        var (fullStatus, fullRetryAfter, fullBody) = await SharedStoreBroker.ApplyAsync(broker, changed);
        Assert.True(fullStatus == HttpStatusCode.ServiceUnavailable, $"apply on a full disk answered {(int)fullStatus}: {fullBody}\n--- broker stderr\n{broker.Stderr}");
        Assert.Equal("database_unavailable", JsonDocument.Parse(fullBody).RootElement.GetProperty("code").GetString());
        Assert.Equal("5", fullRetryAfter);
        Assert.Equal(["claude"], await AgentsAsync(broker));

        // The log says why, for the refused write and for the request log; /metrics shows the failed writes and the held records.
        Assert.True(
            await broker.WaitForLogAsync("RequestLogWriter[4004]", Deadline),
            $"the request-log writer reported no failed write on the full disk\n--- broker stderr\n{broker.Stderr}");
        Assert.True(await broker.WaitForLogAsync("ProblemExceptionFilter[4103]", Deadline), "the refused apply was not logged");
        Assert.Contains(DiskFull, LogLine(broker, "RequestLogWriter[4004]"), StringComparison.Ordinal);
        Assert.Contains(DiskFull, LogLine(broker, "ProblemExceptionFilter[4103]"), StringComparison.Ordinal);
        Metrics during = default;
        await UntilAsync(
            async () => (during = await MetricsAsync(broker)).WriteFailures - before.WriteFailures >= RetriesWhileFull && during.Held + during.Queued == FullRequests + 1,
            $"{RetriesWhileFull} failed writes and every record made on the full disk waiting at /metrics", broker);

        output.WriteLine("/metrics while the disk is full:\n" + await RequestLogMetricsAsync(broker));

        // Reading goes on: the log so far is there.
        Assert.Equal(FullRequests, await CountLoggedAsync(cli, "/echo/before-full/"));
        Assert.Equal(0, await CountLoggedAsync(cli, prefix));

        var freed = Stopwatch.StartNew();
        await disk.FreeAsync(broker);

        // Every record made on the full disk is written once there is space, none dropped; writes succeed again.
        await UntilAsync(async () => await CountLoggedAsync(cli, prefix) == FullRequests + 1, $"all {FullRequests + 1} records of the full period in the log", broker);
        var written = freed.Elapsed;
        var after = await MetricsAsync(broker);
        Assert.Equal(before.Dropped, after.Dropped);
        Assert.Equal(0, after.Held + after.Queued);
        var (afterStatus, _, afterBody) = await SharedStoreBroker.ApplyAsync(broker, changed);
        Assert.True(afterStatus == HttpStatusCode.OK, $"apply after freeing the disk answered {(int)afterStatus}: {afterBody}");
        Assert.Equal(["claude", "helper"], await AgentsAsync(broker));
        Assert.True(await broker.WaitForLogAsync("RequestLogWriter[4005]", Deadline), "the request-log writer did not report the database back");
        Assert.DoesNotContain(Secret, broker.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, broker.Stdout, StringComparison.Ordinal);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"figures: {FullRequests} proxied requests on the full disk, all 200, median {Median(full) * 1000:0.0} ms, max {full.Max(r => r.Seconds) * 1000:0.0} ms " +
            $"(before it filled up: median {Median(normal) * 1000:0.0} ms, max {normal.Max(r => r.Seconds) * 1000:0.0} ms, the first request opening the tunnel); " +
            $"write failures {during.WriteFailures - before.WriteFailures}, held {during.Held}, queued {during.Queued}; " +
            $"all records written {written.TotalSeconds:0.00} s after the space was freed; dropped {after.Dropped - before.Dropped}"));
    }

    private static double Median((string Status, double Seconds)[] results) =>
        results.Select(r => r.Seconds).Order().ElementAt(results.Length / 2);

    private async Task<string> CurlEchoAsync(BrokerProcess broker, string token, string caPath, string path)
    {
        var result = await ClientProcess.RunAsync("curl", [
            "-sS", "--max-time", "60", "--proxy", $"http://{token}:dev@127.0.0.1:{broker.ProxyUri.Port}", "--cacert", caPath,
            "-H", "Authorization: Bearer agent-dummy", $"https://api.upstream.test:{_upstream.Port}{path}"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StdOut;
    }

    private static async Task<string[]> AgentsAsync(BrokerProcess broker)
    {
        using var api = broker.CreateApiClient();
        var export = JsonNode.Parse(await api.GetStringAsync(new Uri("/v1/export", UriKind.Relative)))!;
        return [.. export["agents"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    private static async Task<int> CountLoggedAsync(CliRunner cli, string path)
    {
        var result = await cli.RunAsync("logs", "--json", "--limit", "1000");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Lines.Count(l => l.Contains(path, StringComparison.Ordinal));
    }

    private static string LogLine(BrokerProcess broker, string marker) =>
        broker.Stderr.Split('\n').FirstOrDefault(l => l.Contains(marker, StringComparison.Ordinal)) ?? $"(no line with {marker})";

    private static async Task<Metrics> MetricsAsync(BrokerProcess broker)
    {
        using var api = broker.CreateApiClient();
        var text = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return new Metrics(
            Sum(DroppedLine(), text), Sum(WriteFailuresLine(), text), Sum(HeldLine(), text), Sum(QueuedLine(), text));
    }

    private static async Task<string> RequestLogMetricsAsync(BrokerProcess broker)
    {
        using var api = broker.CreateApiClient();
        var text = await api.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return string.Join('\n', text.Split('\n').Where(l => l.StartsWith("agentvault_request_log_", StringComparison.Ordinal)));
    }

    private static long Sum(Regex line, string text) =>
        line.Matches(text).Sum(m => (long)double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, BrokerProcess broker)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {Deadline.TotalSeconds} s: {what}\n--- broker stderr\n{broker.Stderr}");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"^agentvault_request_log_dropped_total(?:\{[^}]*\})?\s+([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex DroppedLine();

    [GeneratedRegex(@"^agentvault_request_log_write_failures_total\{[^}]*reason=""unavailable""[^}]*\}\s+([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex WriteFailuresLine();

    [GeneratedRegex(@"^agentvault_request_log_held(?:\{[^}]*\})?\s+([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex HeldLine();

    [GeneratedRegex(@"^agentvault_request_log_queued(?:\{[^}]*\})?\s+([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex QueuedLine();

    private readonly record struct Metrics(long Dropped, long WriteFailures, long Held, long Queued);
}
