using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentVault.Functional.Tests.Operations;

/// <summary>
/// Every row of every table of a SQLite or PostgreSQL database, read by the test itself (not by the code under test) and
/// written as comparable text: times in UTC to the microsecond (PostgreSQL's precision), numbers as integers, bytes as hex.
/// </summary>
internal static class TableDump
{
    public static async Task<SortedDictionary<string, List<string>>> ReadAsync(string sqlitePathOrPostgresConnectionString)
    {
        await using DbConnection connection = sqlitePathOrPostgresConnectionString.StartsWith("Host=", StringComparison.Ordinal)
            ? new NpgsqlConnection(sqlitePathOrPostgresConnectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = sqlitePathOrPostgresConnectionString, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = connection is SqliteConnection
                ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%';"
                : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE';";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var dump = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var table in tables.Where(t => t != "schema_version"))
        {
            var rows = new List<string>();
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\";";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var cells = new List<string>();
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    cells.Add(reader.GetName(i) + "=" + Text(reader.GetValue(i)));
                }

                cells.Sort(StringComparer.Ordinal);
                rows.Add(string.Join("|", cells));
            }

            rows.Sort(StringComparer.Ordinal);
            dump[table] = rows;
        }

        return dump;
    }

    private static string Text(object value) => value switch
    {
        DBNull => "<null>",
        DateTime time => Micro(time.ToUniversalTime()),
        DateTimeOffset time => Micro(time.UtcDateTime),
        string text when text.Length >= 20 && text[4] == '-' && text[10] == 'T' && text.EndsWith('Z') &&
            DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) => Micro(parsed),
        byte[] bytes => Convert.ToHexString(bytes),
        int or long or short => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Micro(DateTime time) => new DateTime(time.Ticks - (time.Ticks % 10), DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture);
}
