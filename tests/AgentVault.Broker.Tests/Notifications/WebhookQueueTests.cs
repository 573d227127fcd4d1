using System.Diagnostics.Metrics;
using AgentVault.Broker.Model;
using AgentVault.Broker.Notifications;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Notifications;

public sealed class WebhookQueueTests
{
    private static readonly NotificationDefinition Ops = new()
    {
        Name = "ops", Url = "https://hooks.example.com/a", Secret = "local:hook", Events = [NotificationEvents.ProposalCreated, NotificationEvents.ApprovalDecided],
    };

    private static readonly NotificationEvent Created = new(NotificationEvents.ProposalCreated, "prp_1", "dev", "claude", "claude asks", "/ui/proposals/prp_1");

    [Fact]
    public void FullQueue_DropsCountsAndLogsTheDelivery_WithoutBlocking()
    {
        var log = new DeliveryLog();
        using var metrics = new NotificationsMetrics(null);
        var dropped = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == NotificationsMetrics.MeterName && instrument.Name == "agentvault.notifications.dropped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref dropped, value));
        listener.Start();
        var queue = new WebhookQueue(log, metrics, TimeProvider.System, NullLogger<WebhookQueue>.Instance, capacity: 1);

        var first = queue.Enqueue(Ops, Created);
        var second = queue.Enqueue(Ops, Created with { Id = "prp_2" });

        Assert.Equal(DeliveryStatus.Pending, first.Status);
        Assert.Equal(DeliveryStatus.Dropped, second.Status);
        Assert.Equal("queue_full", second.Error);
        Assert.Equal(1, Interlocked.Read(ref dropped));
        Assert.Equal([second.Id, first.Id], log.Snapshot().Select(r => r.Id));
        Assert.Equal(DeliveryStatus.Dropped, log.Find(second.Id)!.Status);
    }

    [Fact]
    public void Publisher_QueuesOnlyForSubscribedHooks()
    {
        var log = new DeliveryLog();
        using var metrics = new NotificationsMetrics(null);
        var queue = new WebhookQueue(log, metrics, TimeProvider.System, NullLogger<WebhookQueue>.Instance);
        var other = Ops with { Name = "other", Events = [NotificationEvents.ApprovalRequested] };
        var publisher = new WebhookPublisher(new FixedState(new ConfigDocument { Notifications = [Ops, other] }), queue);

        publisher.Publish(Created);
        publisher.Publish(Created with { Event = NotificationEvents.ProposalDecided });

        var record = Assert.Single(log.Snapshot());
        Assert.Equal(("ops", "proposal.created", "prp_1"), (record.Notification, record.Event, record.EventId));
        Assert.True(queue.Reader.TryRead(out var delivery));
        Assert.Equal(Ops, delivery.Hook);
    }

    [Fact]
    public void Test_QueuesATestEventForTheNamedHook_AndIsNullForAnUnknownName()
    {
        var log = new DeliveryLog();
        using var metrics = new NotificationsMetrics(null);
        var queue = new WebhookQueue(log, metrics, TimeProvider.System, NullLogger<WebhookQueue>.Instance);
        var publisher = new WebhookPublisher(new FixedState(new ConfigDocument { Notifications = [Ops] }), queue);

        var record = publisher.Test("ops");

        Assert.NotNull(record);
        Assert.Equal(NotificationEvents.Test, record.Event);
        Assert.Null(publisher.Test("nobody"));
    }

    [Fact]
    public void DeliveryLog_KeepsTheNewestRecords()
    {
        var log = new DeliveryLog();
        for (var i = 0; i < DeliveryLog.Capacity + 5; i++)
        {
            log.Add(new DeliveryRecord($"dlv_{i}", "ops", "proposal.created", "prp", DeliveryStatus.Pending, 0, null, null, DateTimeOffset.UnixEpoch, null, null));
        }

        log.Update(new DeliveryRecord("dlv_0", "ops", "proposal.created", "prp", DeliveryStatus.Delivered, 1, 200, null, DateTimeOffset.UnixEpoch, null, null));
        var records = log.Snapshot();

        Assert.Equal(DeliveryLog.Capacity, records.Count);
        Assert.Equal($"dlv_{DeliveryLog.Capacity + 4}", records[0].Id);
        Assert.Equal("dlv_5", records[^1].Id);
        Assert.Null(log.Find("dlv_0"));
    }

    private sealed class FixedState(ConfigDocument document) : IConfigStateProvider
    {
        public ConfigState Current { get; } = new(1, document, []);

        public event Action<ConfigState>? Changed
        {
            add { }
            remove { }
        }

        public Task ReloadAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
