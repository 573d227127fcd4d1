using System.Text.Json;
using AgentVault.Broker.Sinks;

namespace AgentVault.Broker.Tests.Sinks;

/// <summary><c>file:PATH</c>: JSON lines, mode 0600, size rotation to PATH.1 … PATH.5.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileSinkWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("av-sink-").FullName;

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public async Task Records_AreJsonLinesWithAType_InAnOwnerOnlyFile()
    {
        var path = PathOf("audit.jsonl");
        await using (var writer = new FileSinkWriter(path))
        {
            await writer.WriteAsync([AuditSinkTests.Record(1), SinkRecord.Audit(AuditSinkTests.Entry())], CancellationToken.None);
        }

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(2, lines.Length);
        using var request = JsonDocument.Parse(lines[0]);
        Assert.Equal("request", request.RootElement.GetProperty("type").GetString());
        Assert.Equal("api.example.test", request.RootElement.GetProperty("host").GetString());
        Assert.Equal(201, request.RootElement.GetProperty("status").GetInt32());
        using var audit = JsonDocument.Parse(lines[1]);
        Assert.Equal("audit", audit.RootElement.GetProperty("type").GetString());
        Assert.Equal("service.put", audit.RootElement.GetProperty("action").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task ExistingWideFile_IsAppendedAndNarrowed()
    {
        var path = PathOf("existing.jsonl");
        await File.WriteAllTextAsync(path, "{\"type\":\"request\"}\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);

        await using (var writer = new FileSinkWriter(path))
        {
            await writer.WriteAsync([AuditSinkTests.Record(2)], CancellationToken.None);
        }

        Assert.Equal(2, (await File.ReadAllLinesAsync(path)).Length);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task SizeLimit_RotatesToFiveNumberedFiles_AndDropsTheOldest()
    {
        var path = PathOf("rotating.jsonl");
        var lineLength = SinkRecordFormat.Json(AuditSinkTests.Record(10)).Length + 1;

        // Three lines fit in a file; 30 lines make 10 files' worth, of which PATH and PATH.1..PATH.5 are kept.
        await using (var writer = new FileSinkWriter(path, maxBytes: (lineLength * 3) + 2))
        {
            for (var i = 10; i < 40; i++)
            {
                await writer.WriteAsync([AuditSinkTests.Record(i)], CancellationToken.None);
            }
        }

        var kept = new[] { path, path + ".1", path + ".2", path + ".3", path + ".4", path + ".5" };
        Assert.Equal(kept.Order(StringComparer.Ordinal), Directory.GetFiles(_dir).Order(StringComparer.Ordinal));
        foreach (var file in kept)
        {
            Assert.True(new FileInfo(file).Length <= (lineLength * 3) + 2, file);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        // Newest in PATH, then PATH.1 …; the 18 lines kept are the last 18 written, in order.
        var statuses = kept.Reverse().SelectMany(File.ReadAllLines).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("status").GetInt32() - 200).ToList();
        Assert.Equal(Enumerable.Range(22, 18), statuses);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
