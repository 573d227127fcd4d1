using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// The admin routes of notifications (docs/notifications.md): <c>GET /v1/notifications</c> (the configured hooks, without
/// their secret references), <c>GET /v1/notifications/deliveries</c> (the delivery log, newest first) and
/// <c>POST /v1/notifications/{name}/test</c> (queues a <c>notification.test</c> event for that hook: 202 with its delivery).
/// </summary>
internal static class NotificationsEndpoints
{
    /// <summary>Maps routes that check their own tokens on <paramref name="v1"/> (none) and admin-only routes on <paramref name="admin"/>.</summary>
    public static void Map(RouteGroupBuilder v1, RouteGroupBuilder admin)
    {
        _ = v1;
        admin.MapGet("/notifications", List);
        admin.MapGet("/notifications/deliveries", Deliveries);
        admin.MapPost("/notifications/{name}/test", Test);
    }

    private static IResult List([FromServices] IConfigStateProvider state) =>
        Results.Json(
            (state.Current.Config.Notifications ?? []).Select(n => new NotificationView(n.Name, n.Url, NotificationFormats.Of(n), n.Events ?? [])).ToList(),
            ModelJson.Options);

    private static IResult Deliveries([FromServices] DeliveryLog log) => Results.Json(log.Snapshot(), ModelJson.Options);

    private static IResult Test(string name, [FromServices] WebhookPublisher publisher) =>
        publisher.Test(name) is { } record
            ? Results.Json(record, ModelJson.Options, statusCode: StatusCodes.Status202Accepted)
            : ProblemResults.NotFound($"no notification named '{name}'");

    private sealed record NotificationView(string Name, string Url, string Format, IReadOnlyList<string> Events);
}
