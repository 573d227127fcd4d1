using System.Text.Json;
using AgentVault.Broker.Model;
using AgentVault.Broker.Access;
using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.WebConsole.Logs;

/// <summary>
/// <c>GET /ui/logs/stream</c>: the management API's live request log (<c>GET /v1/logs</c> as <c>text/event-stream</c>,
/// called with the session's token) relayed to the browser as server-sent events, one <c>data: {record}</c> event per
/// request that matches the page's filters (<see cref="LogFilter"/>, applied here so the browser only gets what it shows).
/// Ends when the browser goes away, the session ends or the API ends the stream. The console gate admits only a live
/// session (else 401).
/// </summary>
internal static class LogStreamEndpoint
{
    public const string Path = "/ui/logs/stream";

    public static void Map(IEndpointRouteBuilder endpoints) => endpoints.MapGet(Path, RelayAsync);

    private static async Task RelayAsync(HttpContext context, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(LogStreamEndpoint).FullName!);
        var filter = LogFilter.From(context.Request.Query);
        if (filter.Problem is not null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var aborted = context.RequestAborted;
        var api = ConsoleApi.For(context);
        var query = filter.Vault is null ? string.Empty : "?vault=" + Uri.EscapeDataString(filter.Vault);
        HttpResponseMessage upstream;
        try
        {
            upstream = await api.OpenLogStreamAsync(query, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            return;
        }

        using (upstream)
        {
            if (!upstream.IsSuccessStatusCode)
            {
                // The session ended between the gate and the call (401), say: the browser's EventSource gives up on a non-200.
                LogStreamLog.Refused(logger, (int)upstream.StatusCode);
                context.Response.StatusCode = upstream.StatusCode == System.Net.HttpStatusCode.Unauthorized ? StatusCodes.Status401Unauthorized : StatusCodes.Status502BadGateway;
                return;
            }

            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            try
            {
                var sessions = context.RequestServices.GetRequiredService<SessionStore>();
                var token = context.Items[ConsoleGate.TokenItem] as string;
                await RelayEventsAsync(upstream, context.Response, filter, () => sessions.IsLiveAsync(token, aborted), aborted);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The browser went away: the normal end of a live stream; disposing the API's answer ends that stream too.
            }
            catch (IOException) when (aborted.IsCancellationRequested)
            {
                // The same, noticed while writing to the browser.
            }
            catch (IOException ex)
            {
                // The API's stream broke (the server is stopping): end ours, the browser's EventSource reconnects.
                LogStreamLog.Broken(logger, ex);
            }
        }
    }

    private static async Task RelayEventsAsync(HttpResponseMessage upstream, HttpResponse response, LogFilter filter, Func<Task<bool>> sessionIsLive, CancellationToken cancellationToken)
    {
        await using var body = await upstream.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            // The API checked the session's token once, when the stream opened: the stream ends with the session (sign-out,
            // expiry) at the next record or heartbeat, before anything more is sent. Watching does not keep a session alive.
            if (!await sessionIsLive())
            {
                return;
            }

            // The API sends single-line events (data: {record}) and comments (": connected" first, ": heartbeat" every 15 s,
            // both passed on so the browser's connection opens at once and stays open); blank lines end events.
            if (line.StartsWith(':'))
            {
                await WriteAsync(response, line + "\n\n", cancellationToken);
                continue;
            }

            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var json = line["data: ".Length..];
            var record = JsonSerializer.Deserialize<RequestLogRecord>(json, ModelJson.Options);
            if (record is not null && filter.Matches(record))
            {
                await WriteAsync(response, "data: " + json + "\n\n", cancellationToken);
            }
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
