using AgentVault.Broker.Server;

namespace AgentVault.Broker.Notifications;

internal static class NotificationsServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultNotifications(this IServiceCollection services, ServerOptions options)
    {
        _ = options;
        services.AddSingleton<INotificationPublisher>(NullNotificationPublisher.Instance);
        return services;
    }
}
