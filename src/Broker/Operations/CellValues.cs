using System.Globalization;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Operations;

/// <summary>
/// Moves single values between the two engines: SQLite keeps times as ISO-8601 text and has only 64-bit integers, PostgreSQL
/// has timestamptz, integer widths and bytea. Values travel in one neutral form (null, long, double, string, byte[], bool or a
/// UTC <see cref="DateTime"/>) and are shaped for the destination column on the way in.
/// </summary>
internal static class CellValues
{
    /// <summary>The neutral form of a value read from either engine.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null or DBNull => null,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        float f => (double)f,
        decimal d => (double)d,
        DateTimeOffset time => time.UtcDateTime,
        DateTime time => time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime(),
        long or double or string or byte[] or bool => value,
        _ => throw new OperationsException($"a value of type {value.GetType().Name} cannot be copied"),
    };

    /// <summary>The value to bind for <paramref name="column"/> of a PostgreSQL table (type names as information_schema reports them).</summary>
    public static object ForPostgres(object? value, SchemaColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (value is null)
        {
            return DBNull.Value;
        }

        return column.Type switch
        {
            "timestamp with time zone" or "timestamp without time zone" => value switch
            {
                DateTime time => time,
                string text => SqliteDatabase.ParseTime(text).UtcDateTime,
                _ => Mismatch(value, column),
            },
            "bigint" => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            "integer" => Convert.ToInt32(value, CultureInfo.InvariantCulture),
            "smallint" => Convert.ToInt16(value, CultureInfo.InvariantCulture),
            "boolean" => value is bool flag ? flag : Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
            "double precision" or "real" or "numeric" => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            "bytea" => value as byte[] ?? Mismatch(value, column),
            _ => value switch
            {
                DateTime time => SqliteDatabase.FormatTime(time),
                byte[] => Mismatch(value, column),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
            },
        };
    }

    /// <summary>The value to bind for a SQLite column: times as the text the repositories write, flags as 0 or 1.</summary>
    public static object ForSqlite(object? value) => value switch
    {
        null => DBNull.Value,
        DateTime time => SqliteDatabase.FormatTime(time),
        bool flag => flag ? 1L : 0L,
        _ => value,
    };

    private static object Mismatch(object value, SchemaColumn column) =>
        throw new OperationsException($"column {column.Name} ({column.Type}) cannot take a value of type {value.GetType().Name}");
}
