using System.Globalization;
using Npgsql;

namespace AgentVault.Testing.Fakes.Vault;

/// <summary>Creates, extends and drops login roles in a real PostgreSQL, as Vault's PostgreSQL database plugin does.</summary>
public sealed class PostgresRoleHook : IFakeVaultDatabaseHook
{
    private readonly string _connectionString;

    /// <param name="connectionString">A superuser connection string.</param>
    public PostgresRoleHook(string connectionString) => _connectionString = connectionString;

    public Task CreateUserAsync(string username, string password, DateTimeOffset validUntil, CancellationToken cancellationToken) =>
        ExecuteAsync($"CREATE ROLE {Identifier(username)} WITH LOGIN PASSWORD {Literal(password)} VALID UNTIL {Literal(Timestamp(validUntil))}", null, cancellationToken);

    public Task RenewUserAsync(string username, DateTimeOffset validUntil, CancellationToken cancellationToken) =>
        ExecuteAsync($"ALTER ROLE {Identifier(username)} VALID UNTIL {Literal(Timestamp(validUntil))}", null, cancellationToken);

    public async Task DropUserAsync(string username, CancellationToken cancellationToken)
    {
        await ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = @name", username, cancellationToken);
        await ExecuteAsync($"DROP ROLE IF EXISTS {Identifier(username)}", null, cancellationToken);
    }

    private async Task ExecuteAsync(string sql, string? name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        if (name is not null)
        {
            command.Parameters.AddWithValue("name", name);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'+00'", CultureInfo.InvariantCulture);

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
