using AgentVault.Broker.Access;
using AgentVault.Broker.Security;

namespace AgentVault.Broker.Management;

/// <summary>
/// Who a management request comes from, by its bearer token: a person's or the console's session (<c>avs_…</c>, looked up in
/// the database each time, so a sign-out or revocation stops it at once) or the admin token. Agent tokens are not callers
/// of management routes; the routes agents use check their tokens themselves. Resolved once per request.
/// </summary>
internal static class CallerResolver
{
    private const string Item = "agent-vault.caller";

    public static async ValueTask<Caller?> ResolveAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items.TryGetValue(Item, out var known))
        {
            return known as Caller;
        }

        var token = BearerToken.Read(http.Request);
        Caller? caller = null;
        if (token is not null && token.StartsWith(SessionStore.TokenPrefix, StringComparison.Ordinal))
        {
            var session = await http.RequestServices.GetRequiredService<SessionStore>().FindAsync(token, http.RequestAborted);
            caller = session is null ? null : SessionStore.CallerOf(session);
        }
        else if (token is not null && http.RequestServices.GetRequiredService<IAdminTokenVerifier>().Verify(token))
        {
            caller = Caller.AdminToken;
        }

        http.Items[Item] = caller;
        return caller;
    }

    /// <summary>The caller <see cref="AccessFilter"/> admitted (for handlers behind it).</summary>
    public static Caller Admitted(HttpContext http) =>
        http.Items.TryGetValue(Item, out var known) && known is Caller caller ? caller : throw new InvalidOperationException("no caller was admitted");
}
