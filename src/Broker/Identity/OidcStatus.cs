namespace AgentVault.Broker.Identity;

/// <summary>Whether people can sign in with OpenID Connect on this broker (the console shows the button only then).</summary>
public sealed record OidcStatus(bool Enabled);
