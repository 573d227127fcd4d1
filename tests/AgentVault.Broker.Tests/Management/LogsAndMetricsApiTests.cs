using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Management;

public sealed class LogsAndMetricsApiTests
{
    private static RequestLogRecord Record(string vault, string path) => new()
    {
        Time = DateTimeOffset.UnixEpoch,
        Agent = "claude",
        Vault = vault,
        Service = "github",
        Method = "GET",
        Host = "api.github.com",
        Port = 443,
        Path = path,
        Status = 200,
        DurationMs = 12,
        Credentials = ["GITHUB_TOKEN"],
    };

    [Fact]
    public async Task Logs_FilterByVaultAndLimitOldestFirst()
    {
        await using var host = await ManagementTestHost.StartAsync();
        host.Log.Publish(Record("dev", "/a"));
        host.Log.Publish(Record("ops", "/b"));
        host.Log.Publish(Record("dev", "/c"));
        host.Log.Publish(Record("dev", "/d"));

        var records = JsonNode.Parse(await host.Admin.GetStringAsync("v1/logs?vault=dev&limit=2"))!.AsArray();

        Assert.Equal(["/c", "/d"], records.Select(r => (string?)r!["path"]));
        Assert.Equal("GITHUB_TOKEN", (string?)records[0]!["credentials"]![0]);
        Assert.Equal(12, (int?)records[0]!["duration_ms"]);
    }

    [Theory]
    [InlineData("v1/logs?limit=0")]
    [InlineData("v1/logs?limit=100001")]
    [InlineData("v1/logs?limit=abc")]
    public async Task Logs_BadLimit_Returns400(string path)
    {
        await using var host = await ManagementTestHost.StartAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Admin.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Logs_AsEventStream_DeliversLiveRecordsOfTheVault()
    {
        await using var host = await ManagementTestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/logs?vault=dev");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await host.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await reader.ReadLineAsync());

        await WaitUntilAsync(() => host.Log.Subscribers == 1);
        host.Log.Publish(Record("ops", "/other-vault"));
        host.Log.Publish(Record("dev", "/live"));

        string? line;
        do
        {
            line = await reader.ReadLineAsync();
        }
        while (line is not null && !line.StartsWith("data: ", StringComparison.Ordinal));

        Assert.NotNull(line);
        Assert.Equal("/live", (string?)JsonNode.Parse(line["data: ".Length..])!["path"]);
    }

    [Fact]
    public async Task Metrics_ExposeAgentVaultMetersInPrometheusFormat()
    {
        await using var host = await ManagementTestHost.StartAsync();
        using var meter = new Meter("AgentVault.ManagementTest");
        var counter = meter.CreateCounter<long>("agentvault.test.requests");
        using var other = new Meter("SomethingElse.Test");
        other.CreateCounter<long>("elsewhere.requests").Add(1);
        counter.Add(3);

        using var response = await host.Client.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("agentvault_test_requests_total", text, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere_requests", text, StringComparison.Ordinal);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
