namespace AgentVault.Broker.Storage;

/// <summary>Named small blobs of the broker itself (wrapped data key, CA certificate and encrypted CA key, admin token hash).</summary>
public interface IBlobRepository
{
    Task<byte[]?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Inserts the blob only if absent; returns false when another writer got there first.</summary>
    Task<bool> TryInsertAsync(string name, byte[] value, CancellationToken cancellationToken);

    Task PutAsync(string name, byte[] value, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="name"/> and bumps the change version in one transaction, so other instances reload (the admin token's hash after a rotation).</summary>
    Task PutAndSignalAsync(string name, byte[] value, CancellationToken cancellationToken);
}
