namespace AgentVault.Broker.Management;

/// <summary>
/// The audit action and summary of every changing management route (SPEC §14), by method and route pattern. Summaries
/// name things with route values in braces. A changing route missing here is still recorded (as <c>api.METHOD</c>); a
/// route listed with a null action is a check that changes nothing and is not recorded.
/// </summary>
internal static class AuditActions
{
    private static readonly Dictionary<string, (string? Action, string Summary)> Routes = new(StringComparer.Ordinal)
    {
        ["POST /v1/apply"] = ("config.apply", "applied a configuration document"),
        ["PUT /v1/stores/{name}"] = ("store.put", "set store {name}"),
        ["DELETE /v1/stores/{name}"] = ("store.delete", "deleted store {name}"),
        ["POST /v1/stores/{name}/test"] = (null, string.Empty),
        ["PUT /v1/stores/{name}/secrets/{secret}"] = ("store.secret.put", "wrote secret {secret} in store {name} (the value is not recorded)"),
        ["DELETE /v1/stores/{name}/secrets/{secret}"] = ("store.secret.delete", "deleted secret {secret} from store {name}"),
        ["PUT /v1/vaults/{name}"] = ("vault.put", "set vault {name}"),
        ["DELETE /v1/vaults/{name}"] = ("vault.delete", "deleted vault {name}"),
        ["PUT /v1/vaults/{vault}/services"] = ("service.put", "set services of vault {vault}"),
        ["DELETE /v1/vaults/{vault}/services/{name}"] = ("service.delete", "deleted service {name} of vault {vault}"),
        ["PUT /v1/vaults/{vault}/credentials"] = ("credential.put", "set credential references of vault {vault}"),
        ["DELETE /v1/vaults/{vault}/credentials/{key}"] = ("credential.delete", "deleted credential {key} of vault {vault}"),
        ["POST /v1/vaults/{vault}/credentials/check"] = (null, string.Empty),
        ["POST /v1/agents"] = ("agent.create", "created an agent"),
        ["POST /v1/agents/{name}/revoke"] = ("agent.revoke", "revoked the tokens of agent {name}"),
        ["POST /v1/agents/{name}/rotate"] = ("agent.rotate", "rotated the token of agent {name}"),
        ["DELETE /v1/agents/{name}"] = ("agent.delete", "deleted agent {name}"),
        ["POST /v1/tokens"] = ("token.mint", "minted a scoped token"),
        ["DELETE /v1/tokens/{id}"] = ("token.revoke", "revoked token {id}"),
        ["POST /v1/proposals"] = ("proposal.create", "proposed a change"),
        ["POST /v1/proposals/{id}/approve"] = ("proposal.approve", "approved proposal {id}"),
        ["POST /v1/proposals/{id}/reject"] = ("proposal.reject", "rejected proposal {id}"),
        ["POST /v1/approvals/{id}/approve"] = ("approval.approve", "approved held request {id}"),
        ["POST /v1/approvals/{id}/deny"] = ("approval.deny", "denied held request {id}"),
        ["DELETE /v1/approvals/grants/{id}"] = ("approval.grant_revoke", "ended standing grant {id}"),
        ["POST /v1/notifications/{name}/test"] = ("notification.test", "sent a test event to notification {name}"),
        ["DELETE /v1/sessions/{id}"] = ("session.revoke", "revoked session {id}"),
        ["POST /v1/admin/rotate-token"] = ("admin_token.rotate", "rotated the admin token"),

        // Sign-in routes record sign-in and sign-out themselves (with the person, not the caller of the route).
        ["POST /v1/auth/device"] = (null, string.Empty),
        ["POST /v1/auth/device/token"] = (null, string.Empty),
        ["POST /v1/auth/cli-exchange"] = (null, string.Empty),
        ["POST /v1/auth/logout"] = (null, string.Empty),
    };

    /// <summary>The action and summary for a route; null action when the route is not recorded.</summary>
    public static (string? Action, string Summary) For(string method, string pattern, RouteValueDictionary values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!Routes.TryGetValue(method + " " + pattern, out var known))
        {
            return ("api." + method.ToLowerInvariant(), $"{method} {Fill(pattern, values)}");
        }

        return (known.Action, Fill(known.Summary, values));
    }

    /// <summary>Every route listed (for the test that each changing route has an entry).</summary>
    public static IEnumerable<string> Listed => Routes.Keys;

    /// <summary><paramref name="template"/> with each <c>{name}</c> replaced by its route value.</summary>
    public static string Fill(string template, RouteValueDictionary values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var (key, value) in values)
        {
            template = template.Replace("{" + key + "}", value?.ToString(), StringComparison.Ordinal);
        }

        return template;
    }
}
