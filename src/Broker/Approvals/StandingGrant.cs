namespace AgentVault.Broker.Approvals;

/// <summary>
/// An approval "for a while": until <see cref="Expires"/>, requests of <see cref="Agent"/> in <see cref="Vault"/> that match
/// <see cref="Rule"/> of <see cref="Service"/> pass without being held. Kept in memory by the broker instance that created it.
/// </summary>
internal sealed record StandingGrant(string Id, string Vault, string Agent, string Service, string Rule, DateTimeOffset Created, DateTimeOffset Expires, string GrantedBy)
{
    public bool IsLive(DateTimeOffset now) => now < Expires;
}
