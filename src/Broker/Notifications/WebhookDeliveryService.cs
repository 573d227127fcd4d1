using AgentVault.Broker.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// Takes deliveries off the <see cref="WebhookQueue"/> and runs each — up to <see cref="MaxConcurrent"/> at once, so one
/// slow hook cannot hold up the others — through its attempts with backoff (<see cref="WebhookRetryPolicy"/>), keeping its
/// <see cref="DeliveryRecord"/> up to date. Deliveries still queued or waiting for a retry at shutdown are abandoned.
/// </summary>
internal sealed class WebhookDeliveryService(
    WebhookQueue queue, WebhookSender sender, ConsoleLinks links, DeliveryLog log, NotificationsMetrics metrics, TimeProvider time,
    ILogger<WebhookDeliveryService> logger) : BackgroundService
{
    public const int MaxConcurrent = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(MaxConcurrent);
        var running = new List<Task>();
        try
        {
            await foreach (var delivery in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunAsync(delivery, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }

        await Task.WhenAll(running);
    }

    private async Task RunAsync(WebhookDelivery delivery, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await DeliverAsync(delivery, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the record keeps its last state.
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task DeliverAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var hook = delivery.Hook;
        var host = WebhookSender.HostOf(hook.Url);
        var body = WebhookPayload.Build(NotificationFormats.Of(hook), delivery.Event, links.For(delivery.Event.ConsolePath), delivery.Time);
        var record = log.Find(delivery.Id) ?? new DeliveryRecord(delivery.Id, hook.Name, delivery.Event.Event, delivery.Event.Id, DeliveryStatus.Pending, 0, null, null, delivery.Time, null, null);
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await sender.SendAsync(delivery, body, cancellationToken);
            var now = time.GetUtcNow();
            record = record with { Attempts = attempt, LastStatus = outcome.Status, Error = outcome.Error, LastAttemptAt = now };
            if (outcome.Delivered)
            {
                metrics.Delivered(hook.Name);
                log.Update(record with { Status = DeliveryStatus.Delivered, FinishedAt = now });
                NotificationsLog.Delivered(logger, delivery.Event.Event, delivery.Event.Id, hook.Name, host, attempt);
                return;
            }

            var failure = outcome.Describe();
            if (!outcome.Retryable || attempt >= WebhookRetryPolicy.MaxAttempts)
            {
                metrics.Failed(hook.Name);
                log.Update(record with { Status = DeliveryStatus.Failed, FinishedAt = now });
                NotificationsLog.Failed(logger, delivery.Event.Event, delivery.Event.Id, hook.Name, host, attempt, failure);
                return;
            }

            var delay = WebhookRetryPolicy.DelayAfter(attempt);
            log.Update(record with { Status = DeliveryStatus.Retrying });
            NotificationsLog.AttemptFailed(logger, delivery.Event.Event, delivery.Event.Id, hook.Name, host, attempt, failure, delay);
            await Task.Delay(delay, time, cancellationToken);
        }
    }
}
