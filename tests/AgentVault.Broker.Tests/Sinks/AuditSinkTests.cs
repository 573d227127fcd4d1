using AgentVault.Broker.Model;
using AgentVault.Broker.Sinks;
using AgentVault.Broker.Tests.Hosting;
using AgentVault.Testing.Fakes;

namespace AgentVault.Broker.Tests.Sinks;

/// <summary>Back-pressure of one audit sink: a full channel drops and counts, it never waits.</summary>
public sealed class AuditSinkTests
{
    [Fact]
    public async Task FullChannel_DropsAndCounts_InsteadOfBlocking()
    {
        var writer = new RecordingSinkWriter { Blocked = true };
        using var loggers = new CapturingLoggerFactory();
        var sink = new AuditSink("test", writer, TimeProvider.System, loggers.CreateLogger("sinks"), capacity: 4);
        using var stop = new CancellationTokenSource();
        var run = sink.RunAsync(stop.Token);

        // The writer takes the first record and then hangs (an unreachable SIEM); the channel holds 4 more.
        sink.Offer(Record(0));
        await writer.FirstWriteStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        for (var i = 1; i <= 10; i++)
        {
            sink.Offer(Record(i));
        }

        Assert.Equal(4, sink.Queued);
        Assert.Equal(6, sink.Dropped);
        Assert.Single(loggers.Messages, m => m.Contains("records dropped so far", StringComparison.Ordinal));

        // Once the destination answers again, what was kept is delivered in order.
        writer.Release();
        sink.Complete();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([0, 1, 2, 3, 4], writer.Written.Select(r => ((RequestLogRecord)r.Payload).Status - 200));
    }

    [Fact]
    public async Task DropWarning_IsRepeatedAtMostOnceAMinute()
    {
        var time = new ManualTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var loggers = new CapturingLoggerFactory();
        var sink = new AuditSink("test", new RecordingSinkWriter(), time, loggers.CreateLogger("sinks"), capacity: 1);

        // Not running: the first record fills the channel, every other one is dropped.
        for (var i = 0; i < 5; i++)
        {
            sink.Offer(Record(i));
        }

        time.Advance(TimeSpan.FromSeconds(59));
        sink.Offer(Record(5));
        time.Advance(TimeSpan.FromSeconds(1));
        sink.Offer(Record(6));

        Assert.Equal(6, sink.Dropped);
        Assert.Equal(2, loggers.Messages.Count(m => m.Contains("records dropped so far", StringComparison.Ordinal)));
        await sink.DisposeAsync();
    }

    internal static SinkRecord Record(int index) => SinkRecord.Request(new RequestLogRecord
    {
        Time = DateTimeOffset.UnixEpoch.AddSeconds(index),
        Agent = "claude",
        Vault = "dev",
        Method = "GET",
        Host = "api.example.test",
        Port = 443,
        Path = "/items/" + index,
        Status = 200 + index,
        DurationMs = 1,
    });

    internal static AuditEntry Entry() => new()
    {
        Id = 7,
        Time = DateTimeOffset.UnixEpoch,
        Actor = "admin-token",
        Action = "service.put",
        Target = "vaults/dev/services/github",
        Vault = "dev",
        Summary = "service github updated",
    };
}
