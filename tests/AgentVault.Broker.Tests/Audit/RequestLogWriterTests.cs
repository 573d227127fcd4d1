using AgentVault.Broker.Audit;
using AgentVault.Broker.Model;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Audit;

public sealed class RequestLogWriterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static RequestLogRecord Record(int n, string vault = "dev") => SqliteRequestLogRepositoryTests.Record(n, vault);

    private static RequestLogWriter NewWriter(RequestLogQueue queue, RequestLogFeed feed, IRequestLogRepository repository, int retention = 100_000) =>
        new(queue, feed, repository, new AuditMetrics(queue, feed), new ServerOptions { LogRetention = retention }, TimeProvider.System, NullLogger<RequestLogWriter>.Instance);

    private static async Task<IReadOnlyList<RequestLogRecord>> PollAsync(IRequestLogRepository repository, Func<IReadOnlyList<RequestLogRecord>, bool> done)
    {
        var until = DateTime.UtcNow + Deadline;
        IReadOnlyList<RequestLogRecord> rows;
        do
        {
            rows = await repository.QueryAsync(null, 10_000, CancellationToken.None);
            if (done(rows))
            {
                break;
            }

            await Task.Delay(20);
        }
        while (DateTime.UtcNow < until);
        return rows;
    }

    [Fact]
    public async Task WrittenRecords_ArePersistedInOrder()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteRequestLogRepository(db.Database);
        var queue = new RequestLogQueue();
        using var writer = NewWriter(queue, new RequestLogFeed(), repository);
        await writer.StartAsync(CancellationToken.None);

        for (var i = 1; i <= 1200; i++)
        {
            queue.Write(Record(i));
        }

        var rows = await PollAsync(repository, r => r.Count == 1200);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 1200).Select(n => $"/repos/{n}"), rows.Select(r => r.Path));
        Assert.Equal(0, queue.Dropped);
    }

    [Fact]
    public async Task Stop_FlushesWhatIsQueued()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteRequestLogRepository(db.Database);
        var queue = new RequestLogQueue();
        for (var i = 1; i <= 700; i++)
        {
            queue.Write(Record(i));
        }

        using var writer = NewWriter(queue, new RequestLogFeed(), repository);
        await writer.StartAsync(CancellationToken.None);
        await writer.StopAsync(CancellationToken.None);
        queue.Write(Record(701));

        var rows = await repository.QueryAsync(null, 10_000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 700).Select(n => $"/repos/{n}"), rows.Select(r => r.Path));
    }

    [Fact]
    public async Task Retention_TrimsToTheConfiguredRows()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteRequestLogRepository(db.Database);
        var queue = new RequestLogQueue();
        for (var i = 1; i <= 50; i++)
        {
            queue.Write(Record(i));
        }

        using var writer = NewWriter(queue, new RequestLogFeed(), repository, retention: 5);
        await writer.StartAsync(CancellationToken.None);
        var rows = await PollAsync(repository, r => r.Count == 5);
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(46, 5).Select(n => $"/repos/{n}"), rows.Select(r => r.Path));
    }

    [Fact]
    public void FullQueue_DropsAndCountsWithoutBlocking()
    {
        var queue = new RequestLogQueue(capacity: 3);

        for (var i = 0; i < 10; i++)
        {
            queue.Write(Record(i));
        }

        Assert.Equal(7, queue.Dropped);
    }

    [Fact]
    public async Task Feed_SubscribersSeeNewRecords()
    {
        using var db = await TestDatabase.CreateAsync();
        var feed = new RequestLogFeed();
        var queue = new RequestLogQueue();
        using var writer = NewWriter(queue, feed, new SqliteRequestLogRepository(db.Database));
        await writer.StartAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(Deadline);
        var received = new List<RequestLogRecord>();
        var subscription = Task.Run(async () =>
        {
            await foreach (var record in feed.SubscribeAsync(cancel.Token))
            {
                received.Add(record);
                if (received.Count == 3)
                {
                    break;
                }
            }
        });
        await WaitForAsync(() => feed.SubscriberCount == 1);

        queue.Write(Record(1));
        queue.Write(Record(2, "prod"));
        queue.Write(Record(3));
        await subscription;
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(["/repos/1", "/repos/2", "/repos/3"], received.Select(r => r.Path));
        await WaitForAsync(() => feed.SubscriberCount == 0);
        Assert.Equal(0, feed.SubscriberCount);
    }

    [Fact]
    public async Task Feed_ASlowSubscriberLosesRecordsButOthersGetAll()
    {
        var feed = new RequestLogFeed();
        using var cancel = new CancellationTokenSource(Deadline);
        await using var slow = feed.SubscribeAsync(cancel.Token).GetAsyncEnumerator(cancel.Token);
        var pending = slow.MoveNextAsync();
        await WaitForAsync(() => feed.SubscriberCount == 1);

        var total = RequestLogFeed.SubscriberCapacity + 100;
        var fastReceived = 0;
        var fast = Task.Run(async () =>
        {
            await foreach (var _ in feed.SubscribeAsync(cancel.Token))
            {
                if (++fastReceived == total)
                {
                    break;
                }
            }
        });
        await WaitForAsync(() => feed.SubscriberCount == 2);

        for (var i = 0; i < total; i++)
        {
            // Publish at the pace the fast reader keeps up with; the slow one never reads.
            await WaitForAsync(() => i - Volatile.Read(ref fastReceived) < RequestLogFeed.SubscriberCapacity / 2);
            feed.Publish(Record(i));
        }

        await fast;
        Assert.True(await pending);
        Assert.Equal(total, fastReceived);
        Assert.True(feed.Dropped > 0);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition() && DateTime.UtcNow < until)
        {
            await Task.Delay(5);
        }

        Assert.True(condition(), "condition not met before the deadline");
    }

    [Fact]
    public void Metrics_ReportDroppedAndQueuedRecords()
    {
        var queue = new RequestLogQueue(capacity: 2);
        var feed = new RequestLogFeed();
        using var metrics = new AuditMetrics(queue, feed);
        for (var i = 0; i < 5; i++)
        {
            queue.Write(Record(i));
        }

        var observed = new Dictionary<string, long>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(3, observed["agentvault.request_log.dropped"]);
        Assert.Equal(2, observed["agentvault.request_log.queued"]);
        Assert.Equal(0, observed["agentvault.request_log.feed_dropped"]);
    }
}
