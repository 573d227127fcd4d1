using AgentVault.Broker.Access;

namespace AgentVault.Broker.WebConsole;

/// <summary>
/// In front of every console path: sets the page security headers (a strict Content-Security-Policy without inline scripts,
/// no framing, no sniffing, no referrer, no caching), and admits <c>/ui</c> only with a live session: a page request without
/// one is sent to <c>/login</c>, anything else gets 401.
/// </summary>
internal sealed class ConsoleGate
{
    public const string TokenItem = "agent-vault.console.token";
    public const string SessionItem = "agent-vault.console.session";

    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private readonly RequestDelegate _next;
    private readonly SessionStore _sessions;

    public ConsoleGate(RequestDelegate next, SessionStore sessions)
    {
        _next = next;
        _sessions = sessions;
    }

    public static bool IsConsolePath(PathString path) =>
        path == "/" || path.StartsWithSegments("/ui") || path.StartsWithSegments("/login") || path.StartsWithSegments("/logout");

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsConsolePath(context.Request.Path))
        {
            await _next(context);
            return;
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-store";

        if (!context.Request.Path.StartsWithSegments("/ui") || context.Request.Path.StartsWithSegments("/ui/assets"))
        {
            await _next(context);
            return;
        }

        var token = context.Request.Cookies[SessionStore.CookieName];
        var session = await _sessions.FindAsync(token, context.RequestAborted);
        if (session is null)
        {
            if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/ui/logs/stream"))
            {
                context.Response.Redirect("/login?return=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            }

            return;
        }

        context.Items[TokenItem] = token;
        context.Items[SessionItem] = session;
        await _next(context);
    }
}
