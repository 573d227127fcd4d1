using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Every refusal of an authenticated agent leaves a request-log record with its code (SPEC §5, §9), also at CONNECT; every
/// record carries every field (null when unknown); unauthenticated refusals never become records, but are counted at
/// <c>/metrics</c> and sampled into the server log at most once per second per client address.
/// </summary>
public sealed partial class RefusalLogTests(CleartextFixture fixture) : IClassFixture<CleartextFixture>
{
    private static readonly string[] Fields =
        ["time", "agent", "vault", "service", "method", "host", "port", "path", "status", "duration_ms", "bytes_in", "bytes_out", "credentials", "error", "redactions"];

    [Fact]
    public async Task HostNotAllowedAtConnect_IsRecordedWithAgentVaultHostAndPort()
    {
        var host = $"exfil-{Guid.NewGuid():N}.example";
        var result = await fixture.Broker.CurlAsync(fixture.Token, [.. CurlResponse.Arguments, $"https://{host}:8443/steal"]);
        Assert.Contains("403", result.StdErr + result.StdOut, StringComparison.Ordinal);

        var record = await fixture.Broker.WaitForLogAsync(r => Text(r, "host") == host, "the refused CONNECT");

        AssertAllFields(record);
        Assert.Equal("CONNECT", Text(record, "method"));
        Assert.Equal("host_not_allowed", Text(record, "error"));
        Assert.Equal(403, record.GetProperty("status").GetInt32());
        Assert.Equal(8443, record.GetProperty("port").GetInt32());
        Assert.Equal("claude", Text(record, "agent"));
        Assert.Equal("dev", Text(record, "vault"));
        Assert.Equal(JsonValueKind.Null, record.GetProperty("service").ValueKind);
    }

    [Fact]
    public async Task InsecureUpstream_IsRecordedWithItsService()
    {
        var marker = Guid.NewGuid().ToString("N");
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token, [.. CurlResponse.Arguments, $"http://plain.upstream.test:{fixture.Plain.Port}/{marker}"]));
        Assert.Equal(403, response.Status);

        var record = await fixture.Broker.WaitForLogAsync(r => Text(r, "path") == "/" + marker, "the insecure request");

        AssertAllFields(record);
        Assert.Equal("insecure_upstream", Text(record, "error"));
        Assert.Equal("plain", Text(record, "service"));
        Assert.Equal("claude", Text(record, "agent"));
        Assert.Equal(fixture.Plain.Port, record.GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task VaultTheTokenMayNotUse_IsRecordedWithTheAgent()
    {
        var marker = Guid.NewGuid().ToString("N");
        var result = await ClientProcessCurl("--proxy-user", fixture.Token + ":other-vault", $"http://open.upstream.test:{fixture.Plain.Port}/{marker}");
        Assert.Equal(404, CurlResponse.Parse(result).Status);

        var record = await fixture.Broker.WaitForLogAsync(r => Text(r, "path") == "/" + marker, "the vault_not_found request");

        AssertAllFields(record);
        Assert.Equal("vault_not_found", Text(record, "error"));
        Assert.Equal("claude", Text(record, "agent"));
        Assert.Equal(JsonValueKind.Null, record.GetProperty("vault").ValueKind);
    }

    [Fact]
    public async Task SuccessfulRequest_CarriesErrorNull()
    {
        var marker = Guid.NewGuid().ToString("N");
        var response = CurlResponse.Parse(await fixture.Broker.CurlAsync(fixture.Token, [.. CurlResponse.Arguments, $"https://tls.upstream.test:{fixture.Tls.Port}/echo/{marker}"]));
        Assert.Equal(200, response.Status);

        var record = await fixture.Broker.WaitForLogAsync(r => Text(r, "path") == "/echo/" + marker, "the forwarded request");

        AssertAllFields(record);
        Assert.Equal(JsonValueKind.Null, record.GetProperty("error").ValueKind);
    }

    [Fact]
    public async Task UnauthenticatedRefusals_WriteNoRecord_AreCounted_AndSampledIntoTheServerLog()
    {
        var marker = Guid.NewGuid().ToString("N");
        var before = await UnauthenticatedCountAsync();
        var logLinesBefore = SampledLines();
        const int Requests = 300;
        var urls = Enumerable.Range(0, Requests).Select(i => $"http://open.upstream.test:{fixture.Plain.Port}/{marker}/{i}");
        var clock = Stopwatch.StartNew();

        // Wrong tokens (407, then the auth throttle's 429) and no token at all (407), absolute-form and at CONNECT.
        var wrong = await ClientProcessCurl(["--proxy-user", "avt_wrong-token:dev", .. urls]);
        var none = await AgentVault.Testing.Upstream.ClientProcess.RunAsync("curl", [.. CurlResponse.Arguments, "--proxy", fixture.Broker.Process.ProxyUri.AbsoluteUri, $"http://open.upstream.test:{fixture.Plain.Port}/{marker}/none"]);
        await ClientProcessCurl("--proxy-user", "avt_wrong-token:dev", $"https://tls.upstream.test:{fixture.Tls.Port}/{marker}/connect");
        var elapsed = clock.Elapsed;
        Assert.True(wrong.ExitCode == 0 && none.ExitCode == 0, wrong + "\n" + none);
        Assert.Contains("407", none.StdOut, StringComparison.Ordinal);

        // Counted: every refusal, none of them recorded.
        var after = await WaitForCountAsync(before + Requests + 2);
        Assert.True(after >= before + Requests + 2, $"counted {after - before} of {Requests + 2}");
        var logs = await fixture.Broker.Process.Cli.RunAsync("logs", "--json", "--limit", "10000");
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.DoesNotContain(marker, logs.Stdout, StringComparison.Ordinal);

        // Sampled: at least one line, and at most one per started second of the run for this one client address.
        var sampled = SampledLines() - logLinesBefore;
        Assert.InRange(sampled, 1, (int)Math.Ceiling(elapsed.TotalSeconds) + 1);
    }

    private async Task<AgentVault.Testing.Upstream.ClientProcess.Result> ClientProcessCurl(params string[] arguments) =>
        await AgentVault.Testing.Upstream.ClientProcess.RunAsync("curl", [
            "-sS", "--max-time", "60", "--proxy", fixture.Broker.Process.ProxyUri.AbsoluteUri, "--cacert", fixture.Broker.CaPath, .. CurlResponse.Arguments, .. arguments]);

    private int SampledLines() =>
        fixture.Broker.Process.Stdout.Split('\n').Concat(fixture.Broker.Process.Stderr.Split('\n')).Count(l => l.Contains("refused before authenticating", StringComparison.Ordinal));

    private async Task<long> WaitForCountAsync(long atLeast)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        long count;
        while ((count = await UnauthenticatedCountAsync()) < atLeast && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        return count;
    }

    private async Task<long> UnauthenticatedCountAsync()
    {
        using var api = fixture.Broker.Process.CreateApiClient();
        var text = await api.GetStringAsync("/metrics");
        return CounterLine().Matches(text).Sum(m => (long)double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^agentvault_proxy_unauthenticated_refusals_total\{[^}]*\}\s+([0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex CounterLine();

    private static void AssertAllFields(JsonElement record)
    {
        foreach (var field in Fields)
        {
            Assert.True(record.TryGetProperty(field, out _), $"field '{field}' missing from {record}");
        }
    }

    private static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
