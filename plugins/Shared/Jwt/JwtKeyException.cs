namespace AgentVault.Plugins.Jwt;

/// <summary>A private key could not be loaded or used for signing; the message describes the problem, never the key.</summary>
public sealed class JwtKeyException : Exception
{
    public JwtKeyException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
