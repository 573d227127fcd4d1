using AgentVault.Abstractions.Secrets;
using AgentVault.Testing.Fakes.Vault;
using AgentVault.Testing.Postgres;
using Npgsql;

namespace AgentVault.Plugins.Tests.HashiCorpVault;

/// <summary>Dynamic database credentials leased through the plugin work on a real PostgreSQL, and stop working once revoked.</summary>
public sealed class VaultPostgresTests : IAsyncLifetime
{
    private PostgresServer _postgres = null!;
    private VaultHarness _h = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _h = await VaultHarness.StartAsync();
        _h.Vault.DatabaseHook = new PostgresRoleHook(_postgres.ConnectionString);
        _h.Vault.AddDatabaseRole("ro", TimeSpan.FromMinutes(10));
    }

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task LeasedCredential_LogsIn_AndNoLongerAfterRevocation()
    {
        var store = (ILeasingSecretStore)_h.CreateAppRoleStore("app", TimeSpan.FromHours(1));
        var value = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);
        var connectionString = _postgres.ConnectionStringFor(value.Fields["username"], value.Fields["password"]);

        Assert.Equal(value.Fields["username"], await CurrentUserAsync(connectionString));

        await store.RevokeLeaseAsync(value.Lease!, default);

        var ex = await Assert.ThrowsAsync<PostgresException>(() => CurrentUserAsync(connectionString));
        Assert.Contains(ex.SqlState, new[] { PostgresErrorCodes.InvalidPassword, PostgresErrorCodes.InvalidAuthorizationSpecification });
    }

    [Fact]
    public async Task RenewedCredential_KeepsWorking()
    {
        var store = (ILeasingSecretStore)_h.CreateTokenStore(_h.Vault.RootToken);
        var value = await store.GetSecretAsync(new SecretRequest("database/creds/ro"), default);

        await store.RenewLeaseAsync(value.Lease!, default);

        var connectionString = _postgres.ConnectionStringFor(value.Fields["username"], value.Fields["password"]);
        Assert.Equal(value.Fields["username"], await CurrentUserAsync(connectionString));
        Assert.Equal(1, Assert.Single(_h.Vault.ActiveLeases).Renewals);
    }

    private static async Task<string?> CurrentUserAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_user", connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
