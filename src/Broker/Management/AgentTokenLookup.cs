using AgentVault.Broker.Model;
using AgentVault.Broker.Security;

namespace AgentVault.Broker.Management;

/// <summary>Finds the live (not revoked, not expired, still bound to its grant) proxy token record for a presented agent or scoped token by its hash.</summary>
internal static class AgentTokenLookup
{
    public static TokenRecord? Find(ConfigState state, string? presented, DateTimeOffset now)
    {
        if (presented is null || !presented.StartsWith("avt_", StringComparison.Ordinal))
        {
            return null;
        }

        var hash = TokenHasher.Hash(presented);
        TokenRecord? found = null;
        foreach (var token in state.Tokens)
        {
            // Every record is compared so the time taken does not depend on where (or whether) the hash is found.
            if (TokenHasher.FixedTimeEquals(token.Hash, hash))
            {
                found = token;
            }
        }

        return found is null || found.ExpiresAt <= now || !new TokenBindings(state).IsBound(found) ? null : found;
    }

    /// <summary>The vaults <paramref name="token"/> may use: a scoped token's one vault, or every vault its agent is granted.</summary>
    public static IReadOnlyList<string> GrantedVaults(ConfigState state, TokenRecord token) =>
        token.Vault is { } scoped ? [scoped] : state.Config.Agents?.Find(a => a.Name == token.Agent)?.Vaults ?? [];

    /// <summary>
    /// The vault a request of <paramref name="token"/> means: <paramref name="asked"/> when granted, else its only vault; or
    /// the problem to answer (404 for a vault it may not use, 400 when it has several and named none).
    /// </summary>
    public static (string? Vault, IResult? Problem) ChooseVault(ConfigState state, TokenRecord token, string? asked)
    {
        var granted = GrantedVaults(state, token);
        if (asked is not null)
        {
            return granted.Contains(asked) ? (asked, null) : (null, ProblemResults.NotFound($"vault '{asked}' is not available to this token"));
        }

        return granted.Count switch
        {
            1 => (granted[0], null),
            0 => (null, ProblemResults.NotFound("this token has no vault")),
            _ => (null, ProblemResults.BadRequest($"this token can use several vaults ({string.Join(", ", granted)}); name one (?vault=NAME, or \"vault\" in a body)")),
        };
    }
}
