namespace AgentVault.Broker.Model;

/// <summary>
/// Decides, for one <see cref="ConfigState"/>, whether a stored token is still bound to what granted it: an agent token to an
/// agent that exists; a scoped token to the very vault it was minted for (its identity, not its name) and, when an agent minted
/// it, to that agent's grant (the vault, <c>can_mint</c>) and to the live agent token that minted it. Expiry is the caller's
/// check (it depends on the time of the request). Built once per snapshot; lookups are dictionary reads.
/// </summary>
internal sealed class TokenBindings
{
    private readonly Dictionary<string, VaultDefinition> _vaultsById;
    private readonly Dictionary<string, AgentDefinition> _agents;
    private readonly Dictionary<string, TokenRecord> _tokensById;

    public TokenBindings(ConfigState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _vaultsById = new Dictionary<string, VaultDefinition>(StringComparer.Ordinal);
        foreach (var vault in state.Config.Vaults ?? [])
        {
            if (vault.Id is { } id)
            {
                _vaultsById[id] = vault;
            }
        }

        _agents = new Dictionary<string, AgentDefinition>(StringComparer.Ordinal);
        foreach (var agent in state.Config.Agents ?? [])
        {
            _agents[agent.Name] = agent;
        }

        _tokensById = new Dictionary<string, TokenRecord>(StringComparer.Ordinal);
        foreach (var token in state.Tokens)
        {
            _tokensById[token.Id] = token;
        }
    }

    /// <summary>The agent of an agent token, when the token is live; null for scoped tokens and dead tokens.</summary>
    public AgentDefinition? AgentOf(TokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.RevokedAt is null && string.Equals(token.Kind, TokenRecord.AgentKind, StringComparison.Ordinal)
            ? _agents.GetValueOrDefault(token.Agent)
            : null;
    }

    /// <summary>True when <paramref name="token"/> is not revoked and everything that granted it still stands.</summary>
    public bool IsBound(TokenRecord token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.RevokedAt is not null)
        {
            return false;
        }

        if (!string.Equals(token.Kind, TokenRecord.ScopedKind, StringComparison.Ordinal))
        {
            return AgentOf(token) is not null;
        }

        // The vault it was minted for, by identity: a vault deleted and created again under the same name is another vault.
        if (token.VaultId is null || token.Vault is null || !_vaultsById.TryGetValue(token.VaultId, out var vault) ||
            !string.Equals(vault.Name, token.Vault, StringComparison.Ordinal))
        {
            return false;
        }

        if (token.MintedBy is null)
        {
            return true;
        }

        // Minted by an agent: that agent token is still live and its agent still holds the vault and can_mint.
        return _tokensById.TryGetValue(token.MintedBy, out var minter) &&
            string.Equals(minter.Agent, token.Agent, StringComparison.Ordinal) &&
            AgentOf(minter) is { CanMint: true } agent &&
            agent.Vaults?.Contains(token.Vault, StringComparer.Ordinal) == true;
    }
}
