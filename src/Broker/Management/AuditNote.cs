namespace AgentVault.Broker.Management;

/// <summary>
/// What a handler adds to the audit entry of its request, when the route alone does not say it: the vault the change is in
/// (a proposal's, an agent's), the real target, a better summary. Names and references only, never a value.
/// </summary>
internal sealed record AuditNote(string? Vault = null, string? Target = null, string? Summary = null)
{
    private const string Item = "agent-vault.audit-note";

    public static void Set(HttpContext http, AuditNote note)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Items[Item] = note;
    }

    public static AuditNote? Get(HttpContext http) => http.Items.TryGetValue(Item, out var note) ? note as AuditNote : null;
}
