namespace AgentVault.Broker.WebConsole;

/// <summary>A token the API has just created, held only while the answer to the form post that created it is rendered.</summary>
internal sealed record TokenShown(string Title, string Token, IReadOnlyList<string> Vaults, DateTimeOffset? ExpiresAt)
{
    public override string ToString() => $"TokenShown {{ Title = {Title} }}";
}
