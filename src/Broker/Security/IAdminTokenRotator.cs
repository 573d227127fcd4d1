namespace AgentVault.Broker.Security;

/// <summary>Replaces the admin token (SPEC §14): the new token is returned once; the old one stops working.</summary>
public interface IAdminTokenRotator
{
    Task<string> RotateAsync(CancellationToken cancellationToken);
}
