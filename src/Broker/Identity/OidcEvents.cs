using System.Net;
using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Identity;

/// <summary>
/// What happens around the OpenID Connect handler's own checks (state, nonce, PKCE, ID-token signature, issuer, audience and
/// lifetime): the client secret is put into the code exchange; a validated person becomes one of our console sessions, or
/// for the CLI's browser sign-in a one-time code sent to its loopback listener; a failure goes back to the sign-in page.
/// </summary>
internal static class OidcEvents
{
    public static OpenIdConnectEvents Create() => new()
    {
        // A provider that offers pushed authorization requests (RFC 9126) gets them, authenticated like the code exchange.
        OnPushAuthorization = async context =>
        {
            if (await ClientSecretAsync(context.HttpContext) is { } secret)
            {
                context.ProtocolMessage.ClientSecret = secret;
            }
        },
        OnAuthorizationCodeReceived = async context =>
        {
            if (await ClientSecretAsync(context.HttpContext) is { } secret && context.TokenEndpointRequest is { } request)
            {
                request.ClientSecret = secret;
            }
        },
        // Behind a proxy that terminates TLS, the request's own scheme and host are not what the provider knows: with
        // --public-api-url, the callback address is built from it (and the code is redeemed with the same address).
        OnRedirectToIdentityProvider = context =>
        {
            if (PublicCallback(context.HttpContext) is { } callback)
            {
                context.ProtocolMessage.RedirectUri = callback;
                context.Properties.Items[OpenIdConnectDefaults.RedirectUriForCodePropertiesKey] = callback;
            }

            return Task.CompletedTask;
        },
        OnTicketReceived = TicketReceivedAsync,
        OnRemoteFailure = context =>
        {
            IdentityLog.SignInFailed(Logger(context.HttpContext), context.Failure?.Message ?? "unknown");
            context.Response.Redirect("/login?sso=failed");
            context.HandleResponse();
            return Task.CompletedTask;
        },
        OnAccessDenied = context =>
        {
            context.Response.Redirect("/login?sso=denied");
            context.HandleResponse();
            return Task.CompletedTask;
        },
    };

    private static async Task TicketReceivedAsync(TicketReceivedContext context)
    {
        var http = context.HttpContext;
        context.HandleResponse();
        var logger = Logger(http);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var types = string.Join(", ", (context.Principal?.Claims ?? []).Select(c => c.Type).Distinct(StringComparer.Ordinal));
            IdentityLog.SignInClaims(logger, types);
        }

        var (person, problem) = Person.From(context.Principal?.Claims ?? []);
        if (person is null)
        {
            IdentityLog.SignInRefused(Logger(http), problem!);
            http.Response.Redirect("/login?sso=refused");
            return;
        }

        var target = SignInReturn.Parse(context.ReturnUri);
        if (target.CliPort is { } port)
        {
            var code = http.RequestServices.GetRequiredService<CliLoginCodes>().Issue(person, target.CliChallenge!);
            http.Response.Redirect(code is null
                ? "/login?sso=busy"
                : $"http://127.0.0.1:{port}/callback?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(target.CliState!)}");
            return;
        }

        var (token, _) = await http.RequestServices.GetRequiredService<PersonSessions>().StartAsync(person, SessionRecord.Console, http.RequestAborted);
        http.Response.Cookies.Append(SessionStore.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps || PublicCallback(http)?.StartsWith("https:", StringComparison.Ordinal) == true,
            Path = "/",
            IsEssential = true,
        });

        // This answer ends a navigation that began at the identity provider (another site), so a redirect would carry the
        // navigation on as cross-site and the browser would not send the SameSite=Strict cookie just set. A page of ours that
        // moves on by itself starts a same-site navigation instead.
        var next = WebUtility.HtmlEncode(target.ConsolePath!);
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(
            $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0;url={next}\"><title>Signed in · Agent Vault</title></head>" +
            $"<body><p>Signed in as {WebUtility.HtmlEncode(person.Email)}. <a href=\"{next}\">Continue to the console</a>.</p></body></html>",
            http.RequestAborted);
    }

    private static ValueTask<string?> ClientSecretAsync(HttpContext http) =>
        http.RequestServices.GetRequiredService<OidcClientSecret>().GetAsync(http.RequestAborted);

    private static string? PublicCallback(HttpContext http) =>
        http.RequestServices.GetRequiredService<Server.ServerOptions>().PublicApiUrl is { } url ? url.TrimEnd('/') + OidcSignIn.CallbackPath : null;

    private static ILogger Logger(HttpContext http) => http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcEvents));
}
