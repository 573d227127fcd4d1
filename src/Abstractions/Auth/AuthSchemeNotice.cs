namespace AgentVault.Abstractions.Auth;

/// <summary>A notice about one credential key of the vault; the message never holds a credential value or a token.</summary>
/// <param name="CredentialKey">The credential key (UPPER_SNAKE_CASE) the notice is about.</param>
/// <param name="Message">What the operator should know or do, in one sentence.</param>
public sealed record AuthSchemeNotice(string CredentialKey, string Message);
