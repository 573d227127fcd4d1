using AgentVault.Broker.Access;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Identity;

/// <summary>
/// Sign-in routes for people (SPEC §14). Console: <c>/login/oidc</c> starts single sign-on, <c>/login/cli</c> is the browser
/// step of <c>agent-vault login</c>. API: <c>/v1/auth/device</c> and <c>/v1/auth/device/token</c> (device flow),
/// <c>/v1/auth/cli-exchange</c> (loopback flow), <c>/v1/auth/logout</c> and <c>/v1/auth/whoami</c>.
/// </summary>
internal static class IdentityEndpoints
{
    public static void MapSignIn(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(OidcSignIn.ConsolePath, (HttpContext context, [FromQuery(Name = "return")] string? target) =>
            ChallengeAsync(context, SignInReturn.Console(target)));
        endpoints.MapGet(OidcSignIn.CliPath, (HttpContext context, [FromQuery] string? port, [FromQuery] string? state, [FromQuery] string? challenge) =>
            SignInReturn.IsPort(port, out var number) && SignInReturn.IsState(state) && CliLoginCodes.IsChallenge(challenge)
                ? ChallengeAsync(context, SignInReturn.Cli(number, state!, challenge!))
                : Task.FromResult<IResult>(Results.BadRequest("this address is opened by agent-vault login; run it again")));
    }

    /// <summary>Maps the <c>/v1/auth</c> routes (they check their own credentials) on <paramref name="v1"/>.</summary>
    public static void Map(RouteGroupBuilder v1, RouteGroupBuilder admin)
    {
        _ = admin;
        v1.MapPost("/auth/device", async (HttpContext context, CancellationToken ct) =>
            Flows(context) is { } flows ? await flows.StartAsync(ct) : NotConfigured());
        v1.MapPost("/auth/device/token", async (HttpRequest request, CancellationToken ct) =>
        {
            if (Flows(request.HttpContext) is not { } flows)
            {
                return NotConfigured();
            }

            var (body, problem) = await JsonBody.ReadAsync<DeviceTokenBody>(request, ct);
            return body is null ? problem! : await flows.PollAsync(body.DeviceId, ct);
        });
        v1.MapPost("/auth/cli-exchange", ExchangeAsync);
        v1.MapPost("/auth/logout", LogoutAsync);
        v1.MapGet("/auth/whoami", WhoAmIAsync);
    }

    private static async Task<IResult> ChallengeAsync(HttpContext context, string redirect)
    {
        if (context.RequestServices.GetRequiredService<OidcStatus>() is not { Enabled: true })
        {
            return Results.Redirect("/login?sso=off");
        }

        try
        {
            await context.ChallengeAsync(OidcSignIn.Scheme, new AuthenticationProperties { RedirectUri = redirect });
            return Results.Empty;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            var issuer = context.RequestServices.GetRequiredService<Server.ServerOptions>().OidcIssuer!;
            IdentityLog.IssuerUnavailable(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(IdentityEndpoints)), issuer, ex.GetType().Name);
            return Results.Redirect("/login?sso=unavailable");
        }
    }

    private static async Task<IResult> ExchangeAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HttpContext.RequestServices.GetService<CliLoginCodes>() is not { } codes)
        {
            return NotConfigured();
        }

        var (body, problem) = await JsonBody.ReadAsync<CliExchangeBody>(request, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (codes.Redeem(body.Code, body.Verifier) is not { } person)
        {
            return new ProblemResult(400, "invalid_grant", "Invalid code", "the sign-in code is unknown, used, expired or not for this verifier; run agent-vault login again");
        }

        var (token, session) = await request.HttpContext.RequestServices.GetRequiredService<PersonSessions>().StartAsync(person, SessionRecord.Cli, cancellationToken);
        return Results.Json(new { Token = token, Email = person.Email, SessionId = session.Id, session.ExpiresAt }, ModelJson.Options);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, [FromServices] SessionStore sessions, [FromServices] AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await sessions.EndAsync(BearerToken.Read(context.Request), cancellationToken) is not { } ended)
        {
            return ProblemResults.Unauthorized("no live session in Authorization: Bearer (already signed out?)");
        }

        await audit.RecordAsync(SessionStore.CallerOf(ended), "session.sign_out", "sessions/" + ended.Id, null, $"signed out of the {ended.Kind}", cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> WhoAmIAsync(HttpContext context, [FromServices] IConfigStateProvider state, [FromServices] SessionStore sessions, CancellationToken cancellationToken)
    {
        if (await CallerResolver.ResolveAsync(context) is not { } caller)
        {
            return ProblemResults.Unauthorized("sign in (agent-vault login) or send the admin token: Authorization: Bearer <token>");
        }

        var config = state.Current.Config;
        var roles = (config.Vaults ?? []).Select(v => (v.Name, Role: AccessPolicy.RoleIn(caller, config, v.Name)))
            .Where(r => r.Role > VaultRole.None)
            .ToDictionary(r => r.Name, r => AccessPolicy.Name(r.Role), StringComparer.Ordinal);
        var session = caller.SessionId is null ? null : await sessions.FindAsync(BearerToken.Read(context.Request), cancellationToken);
        return Results.Json(
            new
            {
                caller.Actor,
                Kind = caller.Kind == CallerKind.AdminToken ? "admin-token" : "person",
                caller.Groups,
                Owner = AccessPolicy.IsOwner(caller, config),
                Roles = roles,
                Session = session is null ? null : new { session.Id, session.Kind, session.ExpiresAt },
            },
            ModelJson.Options);
    }

    private static DeviceFlows? Flows(HttpContext context) => context.RequestServices.GetService<DeviceFlows>();

    private static ProblemResult NotConfigured() =>
        new(404, "sign_in_unavailable", "Sign-in unavailable", "single sign-on is not configured on this broker (server flag --oidc-issuer)");

    private sealed record DeviceTokenBody
    {
        public string? DeviceId { get; init; }
    }

    private sealed record CliExchangeBody
    {
        public string? Code { get; init; }

        public string? Verifier { get; init; }

        public override string ToString() => "CliExchangeBody";
    }
}
