namespace AgentVault.Broker.Identity;

/// <summary>Names of the OpenID Connect sign-in for people (SPEC §14, docs/identity.md).</summary>
internal static class OidcSignIn
{
    /// <summary>The OpenID Connect handler's scheme.</summary>
    public const string Scheme = "oidc";

    /// <summary>
    /// The scheme the handler would sign in with. It never does: a validated sign-in becomes one of our own sessions
    /// (<c>Access/SessionStore</c>) and the handler's response is taken over, so no ASP.NET cookie ever holds an identity.
    /// </summary>
    public const string FlowScheme = "oidc-flow";

    public const string CallbackPath = "/signin-oidc";

    /// <summary>The console's entry to single sign-on: <c>/login/oidc?return=/ui/…</c>.</summary>
    public const string ConsolePath = "/login/oidc";

    /// <summary>The browser step of <c>agent-vault login</c> without <c>--device</c>: <c>/login/cli?port=N&amp;state=S&amp;challenge=C</c>.</summary>
    public const string CliPath = "/login/cli";
}
