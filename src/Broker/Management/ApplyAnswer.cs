namespace AgentVault.Broker.Management;

/// <summary>
/// Answer of <c>POST /v1/apply</c>; <see cref="Tokens"/> holds one token per agent the apply created, shown once; <see cref="Warnings"/>
/// what the applied configuration allows that weakens a guarantee (e.g. <c>allow_http</c>).
/// </summary>
internal sealed record ApplyAnswer(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, IReadOnlyList<string> Deleted, IReadOnlyList<ApplyAnswer.AgentToken> Tokens,
    IReadOnlyList<string> Warnings)
{
    public override string ToString() => $"ApplyAnswer {{ Created = {Created.Count}, Updated = {Updated.Count}, Deleted = {Deleted.Count}, Tokens = {Tokens.Count} }}";

    /// <summary>A new agent's first token.</summary>
    internal sealed record AgentToken(string Agent, string Token)
    {
        public override string ToString() => $"AgentToken {{ Agent = {Agent} }}";
    }
}
