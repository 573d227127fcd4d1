namespace AgentVault.Abstractions.Secrets;

/// <summary>A store the broker can write to and list (the built-in file store); names only are listed, never values.</summary>
public interface IWritableSecretStore : ISecretStore
{
    /// <summary>Creates or replaces the secret <paramref name="name"/>.</summary>
    Task SetSecretAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>Deletes a secret; returns false when it did not exist.</summary>
    Task<bool> DeleteSecretAsync(string name, CancellationToken cancellationToken);

    /// <summary>Lists the names of the stored secrets.</summary>
    Task<IReadOnlyList<string>> ListSecretNamesAsync(CancellationToken cancellationToken);
}
