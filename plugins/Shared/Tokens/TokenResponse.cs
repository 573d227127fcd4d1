namespace AgentVault.Plugins.Tokens;

/// <summary>The parts of an OAuth 2.0 token response (RFC 6749 §5.1) the schemes use; <see cref="ToString"/> hides the tokens.</summary>
public sealed record TokenResponse(string AccessToken, string? TokenType, TimeSpan? ExpiresIn, string? RefreshToken)
{
    public override string ToString() => $"TokenResponse(type {TokenType}, expires in {ExpiresIn})";
}
