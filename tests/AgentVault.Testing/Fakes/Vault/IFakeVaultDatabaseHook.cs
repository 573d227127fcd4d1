namespace AgentVault.Testing.Fakes.Vault;

/// <summary>What the fake Vault's database engine does in a real database when it issues, renews and revokes credentials.</summary>
public interface IFakeVaultDatabaseHook
{
    Task CreateUserAsync(string username, string password, DateTimeOffset validUntil, CancellationToken cancellationToken);

    Task RenewUserAsync(string username, DateTimeOffset validUntil, CancellationToken cancellationToken);

    Task DropUserAsync(string username, CancellationToken cancellationToken);
}
