using System.Collections.Frozen;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Snapshots;

/// <summary>
/// Immutable map token hash → <see cref="TokenEntry"/> built from one <see cref="ConfigState"/>. Revoked tokens, tokens of
/// deleted agents and scoped tokens no longer bound to their grant (<see cref="TokenBindings"/>) are left out, so revocation
/// takes effect as soon as the new snapshot is published.
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
        var bindings = new TokenBindings(state);
        var entries = new Dictionary<string, TokenEntry>(StringComparer.Ordinal);
        foreach (var token in state.Tokens)
        {
            // A scoped token whose vault, minting grant or minting token is gone is not in the index, so it is refused at once,
            // also by requests inside a tunnel opened before (they authenticate against the newest index).
            if (!bindings.IsBound(token))
            {
                continue;
            }

            string[] vaults;
            if (string.Equals(token.Kind, TokenRecord.ScopedKind, StringComparison.Ordinal))
            {
                vaults = [token.Vault!];
            }
            else if (bindings.AgentOf(token) is { } agent)
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
