namespace AgentVault.Broker.Security;

/// <summary>Checks a presented admin token against the stored hash in constant time.</summary>
public interface IAdminTokenVerifier
{
    bool Verify(string? presentedToken);
}
