using System.Text.Json;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Telemetry;

/// <summary><c>--log-format json</c>: every line the real broker writes to stderr is one JSON object, and none carries the admin token.</summary>
public sealed class JsonLogFormatTests
{
    [Fact]
    public async Task JsonFormat_EveryStderrLineIsAJsonObject_WithoutTheAdminToken()
    {
        await using var broker = await BrokerProcess.StartAsync(new BrokerOptions
        {
            Arguments = ["--log-format", "json"],
            Environment = new Dictionary<string, string?> { ["AGENT_VAULT_LOG_LEVEL"] = "debug" },
        });

        // Some traffic with the admin token (API calls) and a refused one, so there is more than start-up to log.
        using (var admin = broker.CreateApiClient())
        {
            using var listed = await admin.GetAsync(new Uri("/v1/vaults", UriKind.Relative));
            Assert.True(listed.IsSuccessStatusCode, listed.ToString());
        }

        using (var anonymous = broker.CreateApiClient(admin: false))
        {
            using var refused = await anonymous.GetAsync(new Uri("/v1/vaults", UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await broker.StopAsync();
        var lines = broker.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length >= 3, "expected a debug-level log at start-up:\n" + broker.Stderr);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            Assert.Equal(JsonValueKind.Object, root.ValueKind);
            var timestamp = root.GetProperty("Timestamp").GetString()!;
            Assert.EndsWith("Z", timestamp, StringComparison.Ordinal);
            Assert.True(DateTimeOffset.TryParse(timestamp, System.Globalization.CultureInfo.InvariantCulture, out _), timestamp);
            Assert.Contains(root.GetProperty("LogLevel").GetString(), new[] { "Trace", "Debug", "Information", "Warning", "Error", "Critical" });
            Assert.False(string.IsNullOrEmpty(root.GetProperty("Category").GetString()), line);
            Assert.True(root.TryGetProperty("Message", out _), line);
            Assert.DoesNotContain(broker.AdminToken, line, StringComparison.Ordinal);
        }
    }
}
