using AgentVault.Broker.Access;
using System.Globalization;
using System.Text.Json;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace AgentVault.Broker.Management;

/// <summary><c>GET /v1/logs</c>: recent request-log records oldest first, or with <c>Accept: text/event-stream</c> a live stream.</summary>
internal static class LogEndpoints
{
    public const int DefaultLimit = 100;

    public const int MaxLimit = 10_000;

    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/logs", GetAsync).Needs(AccessNeed.Member);

    private static async Task<IResult> GetAsync(HttpContext context, [FromQuery] string? vault, [FromQuery(Name = "limit")] string? limitText, [FromServices] IRequestLogRepository repository, CancellationToken cancellationToken)
    {
        int? limit = null;
        if (limitText is not null)
        {
            limit = int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1;
        }

        if (limit is < 1 or > MaxLimit)
        {
            return ProblemResults.BadRequest($"limit must be between 1 and {MaxLimit}");
        }

        var visible = AccessPolicy.VisibleVaults(CallerResolver.Admitted(context), context.RequestServices.GetRequiredService<IConfigStateProvider>().Current.Config);
        if (!string.IsNullOrEmpty(vault) && visible is not null && !visible.Contains(vault))
        {
            return ProblemResults.Forbidden($"this needs the viewer role in vault '{vault}'");
        }

        if (context.Request.Headers[HeaderNames.Accept].Any(a => a?.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) == true))
        {
            var feed = context.RequestServices.GetRequiredService<IRequestLogFeed>();
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            await StreamAsync(context.Response, feed, vault, visible, time, cancellationToken);
            return Results.Empty;
        }

        // A person who is not the owner sees the records of the vaults they may view (those of no vault are the owner's).
        var records = await repository.QueryAsync(string.IsNullOrEmpty(vault) ? null : vault, limit ?? DefaultLimit, cancellationToken);
        return Results.Json(visible is null ? records : [.. records.Where(r => r.Vault is not null && visible.Contains(r.Vault))], ModelJson.Options);
    }

    private static async Task StreamAsync(HttpResponse response, IRequestLogFeed feed, string? vault, IReadOnlySet<string>? visible, TimeProvider time, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync(": connected\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);

        using var gate = new SemaphoreSlim(1, 1);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = time.CreateTimer(_ => _ = BeatAsync(response, gate, stop.Token), null, Heartbeat, Heartbeat);
        try
        {
            await foreach (var record in feed.SubscribeAsync(stop.Token))
            {
                if ((!string.IsNullOrEmpty(vault) && record.Vault != vault) || (visible is not null && (record.Vault is null || !visible.Contains(record.Vault))))
                {
                    continue;
                }

                var json = JsonSerializer.Serialize(record, ModelJson.Options);
                await WriteLockedAsync(response, gate, $"data: {json}\n\n", stop.Token);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: the normal end of a live stream.
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    private static async Task BeatAsync(HttpResponse response, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        try
        {
            await WriteLockedAsync(response, gate, ": heartbeat\n\n", cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The stream ended between ticks; the subscription loop notices and stops.
        }
    }

    private static async Task WriteLockedAsync(HttpResponse response, SemaphoreSlim gate, string text, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await response.WriteAsync(text, cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }
}
