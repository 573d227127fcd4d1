using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage;

/// <summary>Persists token hashes (agent and scoped tokens); never a token itself.</summary>
public interface ITokenRepository
{
    Task<IReadOnlyList<TokenRecord>> ListAsync(CancellationToken cancellationToken);

    Task InsertAsync(TokenRecord token, CancellationToken cancellationToken);

    /// <summary>Marks one token revoked; false when unknown.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Revokes every token of an agent; returns how many.</summary>
    Task<int> RevokeAgentTokensAsync(string agent, DateTimeOffset at, CancellationToken cancellationToken);
}
