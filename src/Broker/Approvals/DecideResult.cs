namespace AgentVault.Broker.Approvals;

/// <summary>What became of a decision on a held request: it was the decision, the request is unknown (404), or it was decided already (409).</summary>
internal enum DecideResult
{
    Decided,
    NotFound,
    AlreadyDecided,
}
