using AgentVault.Broker.Access;
using System.Reflection;
using AgentVault.Broker.WebConsole.Components;
using AgentVault.Broker.WebConsole.Logs;
using Microsoft.AspNetCore.Antiforgery;

namespace AgentVault.Broker.WebConsole;

/// <summary>Maps the console: <c>/</c> → <c>/ui</c>, the pages, sign-out, and the assets (style sheet and scripts).</summary>
internal static class ConsoleEndpoints
{
    private static readonly Dictionary<string, (byte[] Bytes, string Type)> Assets = LoadAssets();

    public static IApplicationBuilder UseAgentVaultConsole(this IApplicationBuilder app) => app.UseMiddleware<ConsoleGate>();

    public static IEndpointRouteBuilder MapAgentVaultConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", () => Results.Redirect("/ui"));
        endpoints.MapGet("/ui/assets/{name}", (string name) =>
            Assets.TryGetValue(name, out var asset) ? Results.Bytes(asset.Bytes, asset.Type) : Results.NotFound());
        ConfigExportEndpoint.Map(endpoints);
        endpoints.MapPost("/logout", SignOut).WithMetadata(new RequireAntiforgeryTokenAttribute());
        LogStreamEndpoint.Map(endpoints);
        endpoints.MapRazorComponents<ConsoleApp>();
        return endpoints;
    }

    private static async Task<IResult> SignOut(HttpContext context, SessionStore sessions, AuditTrail audit, ILogger<SessionStore> logger)
    {
        // The antiforgery middleware only records its verdict for an endpoint that binds no form; a forged sign-out is refused here.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
        {
            return Results.BadRequest();
        }

        var token = context.Request.Cookies[SessionStore.CookieName];
        if (await sessions.EndAsync(token, context.RequestAborted) is { } session)
        {
            ConsoleLog.SignedOut(logger, session.Id, session.Actor);
            await audit.RecordAsync(SessionStore.CallerOf(session), "session.sign_out", "sessions/" + session.Id, null, "signed out of the console", context.RequestAborted);
        }

        context.Response.Cookies.Delete(SessionStore.CookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
        return Results.Redirect("/login");
    }

    private static Dictionary<string, (byte[] Bytes, string Type)> LoadAssets()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var (name, type) in new[] { ("console.css", "text/css; charset=utf-8"), ("console-logs.js", "text/javascript; charset=utf-8"),
            ("copy.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("console/" + name);
            if (stream is null)
            {
                continue;
            }

            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            assets[name] = (copy.ToArray(), type);
        }

        return assets;
    }
}
