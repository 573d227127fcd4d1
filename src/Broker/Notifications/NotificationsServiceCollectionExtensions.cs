using AgentVault.Broker.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AgentVault.Broker.Notifications;

/// <summary>Registers webhook notifications: the publisher other features call, its queue, the delivery service and the delivery log.</summary>
internal static class NotificationsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultNotifications(this IServiceCollection services, ServerOptions options)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new NotificationsMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<WebhookQueue>();
        services.AddSingleton(sp => new WebhookHttpClient(options, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => new ConsoleLinks(options, sp.GetService<IServer>()));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<INotificationPublisher>(sp => sp.GetRequiredService<WebhookPublisher>());
        services.AddHostedService<WebhookDeliveryService>();
        return services;
    }
}
