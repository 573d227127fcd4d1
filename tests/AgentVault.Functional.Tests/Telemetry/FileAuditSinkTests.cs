using System.Text.Json;

namespace AgentVault.Functional.Tests.Telemetry;

/// <summary><c>--audit-sink file:PATH</c> on the real broker: request records and audit entries as JSON lines, mode 0600, no secret.</summary>
public sealed class FileAuditSinkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("av-sink-").FullName;

    [Fact]
    public async Task ProxiedRequestAndConfigChange_AppearAsRequestAndAuditLines()
    {
        var path = Path.Combine(_dir, "audit.jsonl");
        await using var environment = await AuditSinkEnvironment.StartAsync(["file:" + path]);

        var marker = "/sink/" + Guid.NewGuid().ToString("N");
        await environment.ProxyAsync(marker);

        var lines = await WaitForAsync(path, ls => ls.Any(l => l.Contains(marker, StringComparison.Ordinal)));
        var records = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var request = Assert.Single(records, r => r.GetProperty("type").GetString() == "request" && r.GetProperty("path").GetString() == marker);
        Assert.Equal(200, request.GetProperty("status").GetInt32());
        Assert.Equal("sinker", request.GetProperty("agent").GetString());
        Assert.Equal("API_KEY", Assert.Single(request.GetProperty("credentials").EnumerateArray()).GetString());

        // The apply of the set-up went through the management API: it is in the audit trail, so in the sink.
        var audit = records.Where(r => r.GetProperty("type").GetString() == "audit").ToList();
        Assert.Contains(audit, a => a.GetProperty("actor").GetString() == "admin-token" && a.GetProperty("action").GetString()!.Length > 0);
        Assert.All(records, r => Assert.Contains(r.GetProperty("type").GetString(), new[] { "request", "audit" }));

        var text = await File.ReadAllTextAsync(path);
        Assert.DoesNotContain(AuditSinkEnvironment.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(environment.Token, text, StringComparison.Ordinal);
        Assert.DoesNotContain(environment.Broker.Process.AdminToken, text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ControlPlane.FileModes.Of(path));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<string[]> WaitForAsync(string path, Func<string[], bool> done)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string[] lines = [];
        while (DateTime.UtcNow < until)
        {
            lines = File.Exists(path) ? await File.ReadAllLinesAsync(path) : [];
            if (done(lines))
            {
                return lines;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the sink file never got the record; it holds:\n" + string.Join("\n", lines));
    }
}
