using System.Diagnostics.Metrics;
using System.Net.Sockets;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Model;
using AgentVault.Broker.Server;
using AgentVault.Broker.Tests.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentVault.Broker.Tests.Audit;

/// <summary>The request-log writer while the database is down (held and retried) or refuses a batch (dropped and counted): never a silent loss.</summary>
public sealed class RequestLogWriterOutageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static RequestLogRecord Record(int n) => SqliteRequestLogRepositoryTests.Record(n, "dev");

    private static RequestLogWriter NewWriter(RequestLogQueue queue, FlakyRequestLogRepository repository)
    {
        var feed = new RequestLogFeed();
        return new(queue, feed, repository, new AuditMetrics(queue, feed), new ServerOptions(), TimeProvider.System, NullLogger<RequestLogWriter>.Instance);
    }

    private static NpgsqlException Unreachable() => new("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));

    [Fact]
    public async Task DatabaseDown_BatchIsHeldAndWrittenOnceItIsBack()
    {
        var queue = new RequestLogQueue();
        var repository = new FlakyRequestLogRepository { Failure = Unreachable() };
        using var writer = NewWriter(queue, repository);
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 10; i++)
        {
            queue.Write(Record(i));
        }

        await UntilAsync(() => repository.FailedAppends >= 2);
        Assert.Equal(0, repository.Count);
        repository.Failure = null;

        await UntilAsync(() => repository.Count == 10);
        await writer.StopAsync(CancellationToken.None);
        Assert.Equal(0, queue.Dropped);
        Assert.Equal(10, repository.Count);
    }

    [Fact]
    public async Task DatabaseDown_MetricsShowFailedWritesAndHeldRecords()
    {
        var queue = new RequestLogQueue();
        var feed = new RequestLogFeed();
        using var metrics = new AuditMetrics(queue, feed);
        var repository = new FlakyRequestLogRepository { Failure = new SqliteException("SQLite Error 13: 'database or disk is full'.", 13) };
        using var writer = new RequestLogWriter(queue, feed, repository, metrics, new ServerOptions(), TimeProvider.System, NullLogger<RequestLogWriter>.Instance);
        var failures = 0L;
        var held = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "agentvault.request_log.write_failures" && tags.ToArray().Contains(new("reason", "unavailable")))
            {
                Interlocked.Add(ref failures, value);
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "agentvault.request_log.held")
            {
                Volatile.Write(ref held, value);
            }
        });
        listener.Start();
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 7; i++)
        {
            queue.Write(Record(i));
        }

        await UntilAsync(() => repository.FailedAppends >= 2);
        listener.RecordObservableInstruments();
        Assert.Equal(7, Volatile.Read(ref held));
        Assert.True(Interlocked.Read(ref failures) >= 2);

        repository.Failure = null;
        await UntilAsync(() => repository.Count == 7);
        listener.RecordObservableInstruments();
        Assert.Equal(0, Volatile.Read(ref held));
        await writer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DatabaseRefusesTheBatch_RecordsAreCountedAsDropped()
    {
        var queue = new RequestLogQueue();
        var repository = new FlakyRequestLogRepository { Failure = new NpgsqlException("value too long for type character varying(255)") };
        using var writer = NewWriter(queue, repository);
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            queue.Write(Record(i));
        }

        await UntilAsync(() => queue.Dropped == 3);
        await writer.StopAsync(CancellationToken.None);
        Assert.Equal(1, repository.FailedAppends);
    }

    [Fact]
    public async Task StoppedWhileTheDatabaseIsDown_WhatIsLeftIsCountedAsDropped()
    {
        var queue = new RequestLogQueue();
        var repository = new FlakyRequestLogRepository { Failure = Unreachable() };
        using var writer = NewWriter(queue, repository);
        await writer.StartAsync(CancellationToken.None);
        for (var i = 0; i < 4; i++)
        {
            queue.Write(Record(i));
        }

        await UntilAsync(() => repository.FailedAppends >= 1);
        queue.Write(Record(4));
        using var shutdown = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await writer.StopAsync(shutdown.Token);

        Assert.Equal(5, queue.Dropped);
        Assert.Equal(0, repository.Count);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "condition not met before the deadline");
    }
}
