namespace AgentVault.Broker.Access;

/// <summary>What kind of credential a management request came with.</summary>
public enum CallerKind
{
    /// <summary>The admin token (or a console sign-in with it): the owner's break-glass and automation credential.</summary>
    AdminToken,

    /// <summary>A person signed in through OIDC (console cookie or CLI session token).</summary>
    Person,

    /// <summary>An agent or scoped token.</summary>
    Agent,
}
