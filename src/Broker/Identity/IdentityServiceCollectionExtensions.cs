using AgentVault.Broker.Outbound;
using AgentVault.Broker.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace AgentVault.Broker.Identity;

/// <summary>
/// Registers sign-in for people (SPEC §14) when <c>--oidc-issuer</c> is given: the OpenID Connect handler for the console
/// (authorization code with PKCE, state and nonce), the device and loopback flows of <c>agent-vault login</c>. The issuer is
/// reached through the plugin client: TLS verified against the system store plus <c>--upstream-ca</c>, <c>--resolve</c>
/// pins, no SSRF guard (the operator chose the issuer).
/// </summary>
public static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddAgentVaultIdentity(this IServiceCollection services, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(new OidcStatus(options.OidcIssuer is not null));
        if (options.OidcIssuer is not { } issuer)
        {
            return services;
        }

        services.AddSingleton<OidcClientSecret>();
        services.AddSingleton<PersonSessions>();
        services.AddSingleton<CliLoginCodes>();
        services.AddSingleton<DeviceFlows>();
        services.AddSingleton<IdTokens>();
        services.AddAuthentication()
            .AddCookie(OidcSignIn.FlowScheme, o => o.Cookie.Name = "agent_vault_oidc_flow")
            .AddOpenIdConnect(OidcSignIn.Scheme, o =>
            {
                o.Authority = issuer.AbsoluteUri.TrimEnd('/');
                o.RequireHttpsMetadata = issuer.Scheme == Uri.UriSchemeHttps;
                o.ClientId = options.OidcClientId;
                o.ResponseType = OpenIdConnectResponseType.Code;

                // A query-string callback is a top-level GET, which carries the handler's SameSite=Lax state cookies; a
                // form_post callback is a cross-site POST, which would not.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.UsePkce = true;
                o.CallbackPath = OidcSignIn.CallbackPath;
                o.SignInScheme = OidcSignIn.FlowScheme;
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("email");
                o.Scope.Add("profile");
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.ClaimActions.MapJsonKey("email_verified", "email_verified");
                o.ClaimActions.MapJsonKey("groups", "groups");
                o.SaveTokens = false;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.RemoteAuthenticationTimeout = TimeSpan.FromMinutes(10);
                o.Events = OidcEvents.Create();
            });
        services.AddOptions<OpenIdConnectOptions>(OidcSignIn.Scheme).Configure<IOutboundClients>((o, outbound) => o.Backchannel = outbound.Plugins);
        services.AddOptions<CookieAuthenticationOptions>(OidcSignIn.FlowScheme).Configure(o => o.Cookie.HttpOnly = true);
        return services;
    }

    /// <summary>Runs the OpenID Connect callback (<c>/signin-oidc</c>) when sign-in for people is on.</summary>
    public static IApplicationBuilder UseAgentVaultIdentity(this IApplicationBuilder app, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.OidcIssuer is null ? app : app.UseAuthentication();
    }
}
