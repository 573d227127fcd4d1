using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage.Common;

/// <summary>
/// The statements that record the revocation of scoped tokens whose grant a configuration save removed: their vault (by
/// identity) is gone, or the agent that minted them is gone, lost the vault or lost <c>can_mint</c>. They run in the save's
/// transaction after the vaults and agents are written, so a grant given back later does not revive the tokens.
/// Scoped tokens the admin minted (<c>minted_by</c> null) depend on their vault only.
/// </summary>
internal static class ScopedTokenRevocations
{
    private const string Live = "UPDATE tokens SET revoked_at = @at WHERE kind = 'scoped' AND revoked_at IS NULL";

    public static IEnumerable<SqlStatement> For(ConfigDocument document, object at)
    {
        ArgumentNullException.ThrowIfNull(document);
        yield return new(Live + " AND NOT EXISTS (SELECT 1 FROM vaults v WHERE v.id = tokens.vault_id AND v.name = tokens.vault);", ("at", at));
        yield return new(Live + " AND minted_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM agents a WHERE a.name = tokens.agent);", ("at", at));
        foreach (var agent in document.Agents ?? [])
        {
            var kept = agent.CanMint == true ? (agent.Vaults ?? []).Distinct(StringComparer.Ordinal).ToList() : [];
            var parameters = new List<(string Name, object? Value)> { ("at", at), ("agent", agent.Name) };
            var sql = Live + " AND minted_by IS NOT NULL AND agent = @agent";
            if (kept.Count > 0)
            {
                parameters.AddRange(kept.Select((vault, i) => ($"v{i}", (object?)vault)));
                sql += " AND vault NOT IN (" + string.Join(", ", kept.Select((_, i) => $"@v{i}")) + ")";
            }

            yield return new(sql + ";", [.. parameters]);
        }
    }
}
