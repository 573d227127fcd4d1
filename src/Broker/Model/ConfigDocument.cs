namespace AgentVault.Broker.Model;

/// <summary>
/// The whole configuration as one document: the YAML file of <c>apply -f</c>, the body of
/// <c>POST /v1/apply</c> and the result of <c>export</c> share this shape (snake_case names).
/// </summary>
public sealed record ConfigDocument
{
    public List<StoreDefinition>? Stores { get; init; }

    public List<VaultDefinition>? Vaults { get; init; }

    public List<AgentDefinition>? Agents { get; init; }

    /// <summary>Webhooks for proposals and approvals (SPEC §12); null when none is configured.</summary>
    public List<NotificationDefinition>? Notifications { get; init; }

    /// <summary>Who may do what (SPEC §14); null when no person is granted anything (only the admin token works).</summary>
    public List<AccessRule>? Access { get; init; }
}
