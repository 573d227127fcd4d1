using System.Net.Sockets;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Model;
using AgentVault.Broker.Server;
using AgentVault.Broker.Tests.Storage;
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
