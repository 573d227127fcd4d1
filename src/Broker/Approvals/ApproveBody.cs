namespace AgentVault.Broker.Approvals;

/// <summary>The optional body of <c>POST /v1/approvals/{id}/approve</c>: <c>{ "for": "10m" }</c> also lets later matching requests pass for that long.</summary>
internal sealed record ApproveBody
{
    public string? For { get; init; }
}
