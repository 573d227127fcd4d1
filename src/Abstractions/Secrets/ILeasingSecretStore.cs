namespace AgentVault.Abstractions.Secrets;

/// <summary>A store whose secrets can carry leases that the broker renews while in use and revokes when done.</summary>
public interface ILeasingSecretStore : ISecretStore
{
    /// <summary>Extends a lease; returns the lease with its new duration.</summary>
    Task<SecretLease> RenewLeaseAsync(SecretLease lease, CancellationToken cancellationToken);

    /// <summary>Revokes a lease so its credentials stop working.</summary>
    Task RevokeLeaseAsync(SecretLease lease, CancellationToken cancellationToken);
}
