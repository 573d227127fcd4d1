namespace AgentVault.Broker.Proposals;

/// <summary>Something a reviewer must not miss (the console shows it as an alert, <c>proposal show</c> in capitals).</summary>
/// <param name="Code">One of the constants below.</param>
public sealed record ProposalWarning(string Code, string Message, string? Key = null, string? Host = null)
{
    /// <summary>A credential the vault already has would be sent to a host it was never sent to: the exfiltration a proposal can attempt.</summary>
    public const string CredentialReachesNewHost = "credential_reaches_new_host";

    /// <summary>A proposed service matches every subdomain of a name.</summary>
    public const string WildcardHost = "wildcard_host";

    /// <summary>A proposed service turns response redaction off: an upstream that echoes a request would show the agent the credential.</summary>
    public const string RedactionOff = "redaction_off";

    /// <summary>A proposed service may inject credentials over plain HTTP (<c>allow_http: true</c>).</summary>
    public const string PlainHttp = "plain_http";

    /// <summary>A proposed service shares its host with an existing one and would take the requests it matches more closely.</summary>
    public const string ShadowsService = "shadows_service";

    /// <summary>A new credential names a secret (by reference) that a credential of some vault already uses.</summary>
    public const string ExistingSecret = "existing_secret";

    /// <summary>A proposed substitution puts a credential into a body, header or WebSocket frame the agent writes.</summary>
    public const string SubstitutionIntoContent = "substitution_into_content";
}
