using System.Collections.Frozen;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Immutable map token hash → <see cref="TokenEntry"/> built from one <see cref="ConfigState"/>. Revoked tokens and tokens of
/// deleted agents are left out, so revocation takes effect as soon as the new snapshot is published.
/// </summary>
internal sealed class TokenIndex
{
    public static TokenIndex Empty { get; } = new(FrozenDictionary<string, TokenEntry>.Empty, -1);

    private readonly FrozenDictionary<string, TokenEntry> _byHash;

    private TokenIndex(FrozenDictionary<string, TokenEntry> byHash, long version)
    {
        _byHash = byHash;
        Version = version;
    }

    public long Version { get; }

    public TokenEntry? Find(string hash) => _byHash.GetValueOrDefault(hash);

    public static TokenIndex Build(ConfigState state)
    {
        var vaultNames = (state.Config.Vaults ?? []).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var agents = (state.Config.Agents ?? []).ToDictionary(a => a.Name, StringComparer.Ordinal);
        var entries = new Dictionary<string, TokenEntry>(StringComparer.Ordinal);
        foreach (var token in state.Tokens)
        {
            if (token.RevokedAt is not null)
            {
                continue;
            }

            string[] vaults;
            if (string.Equals(token.Kind, "scoped", StringComparison.Ordinal))
            {
                if (token.Vault is null || !vaultNames.Contains(token.Vault))
                {
                    continue;
                }

                vaults = [token.Vault];
            }
            else if (agents.TryGetValue(token.Agent, out var agent))
            {
                vaults = (agent.Vaults ?? []).Where(vaultNames.Contains).Distinct(StringComparer.Ordinal).ToArray();
            }
            else
            {
                continue;
            }

            entries[token.Hash] = new TokenEntry
            {
                Id = token.Id,
                Hash = token.Hash,
                Agent = token.Agent,
                ExpiresAt = token.ExpiresAt,
                Vaults = vaults.ToFrozenSet(StringComparer.Ordinal),
                DefaultVault = vaults.Length == 1 ? vaults[0] : null,
            };
        }

        return new TokenIndex(entries.ToFrozenDictionary(StringComparer.Ordinal), state.Version);
    }
}
