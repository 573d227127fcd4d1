namespace AgentVault.Broker.Management;

/// <summary>Answer of <c>POST /v1/apply</c>; <see cref="Tokens"/> holds one token per agent the apply created, shown once.</summary>
internal sealed record ApplyAnswer(IReadOnlyList<string> Created, IReadOnlyList<string> Updated, IReadOnlyList<string> Deleted, IReadOnlyList<ApplyAnswer.AgentToken> Tokens)
{
    public override string ToString() => $"ApplyAnswer {{ Created = {Created.Count}, Updated = {Updated.Count}, Deleted = {Deleted.Count}, Tokens = {Tokens.Count} }}";

    /// <summary>A new agent's first token.</summary>
    internal sealed record AgentToken(string Agent, string Token)
    {
        public override string ToString() => $"AgentToken {{ Agent = {Agent} }}";
    }
}
