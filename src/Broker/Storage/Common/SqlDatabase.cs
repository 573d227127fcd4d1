using System.Data.Common;
using System.Globalization;

namespace AgentVault.Broker.Storage.Common;

/// <summary>
/// The ADO.NET helpers both metadata databases share (commands with named parameters, non-query, scalar and row queries),
/// written against <see cref="System.Data.Common"/> so they serve SQLite and PostgreSQL alike.
/// </summary>
internal abstract class SqlDatabase
{
    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row; null for no row or a SQL NULL.</summary>
    public static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    public static async Task<List<T>> QueryAsync<T>(DbConnection connection, DbTransaction? transaction, string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(map);
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = ParameterValue(value);
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>The value a parameter carries: <see cref="DBNull"/> for null (sent untyped, so the column's type applies), a time in UTC.</summary>
    public static object ParameterValue(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset time => time.ToUniversalTime(),
        _ => value,
    };

    /// <summary>The change version other instances poll (the single row of <c>change_version</c>).</summary>
    public static async Task<long> GetVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT version FROM change_version WHERE id = 1;", cancellationToken), CultureInfo.InvariantCulture);

    /// <summary>The configuration version (bumped by configuration saves only, not by token writes): the API's <c>ETag</c>.</summary>
    public static async Task<long> GetConfigVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT config_version FROM change_version WHERE id = 1;", cancellationToken), CultureInfo.InvariantCulture);

    public static string? ReadText(DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }
}
