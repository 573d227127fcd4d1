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
}
