namespace AgentVault.Broker.Proposals;

/// <summary>Something a reviewer must not miss (the console shows it as an alert, <c>proposal show</c> in capitals).</summary>
/// <param name="Code"><see cref="CredentialReachesNewHost"/>, <see cref="WildcardHost"/>, <see cref="RedactionOff"/> or <see cref="PlainHttp"/>.</param>
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
}
