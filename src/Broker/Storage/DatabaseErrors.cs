using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentVault.Broker.Storage;

/// <summary>
/// Tells a database that cannot be reached right now (PostgreSQL down, restarting or unreachable; SQLite busy or failing I/O)
/// from a request the database refused: the first is worth retrying later (503 <c>database_unavailable</c>, a held request-log batch).
/// </summary>
internal static class DatabaseErrors
{
    // SQLite primary result codes: BUSY, LOCKED, IOERR, FULL, CANTOPEN.
    private static readonly int[] SqliteUnavailableCodes = [5, 6, 10, 13, 14];
    private const int MaxReasonLength = 300;

    /// <summary>
    /// True when <paramref name="exception"/> is (or wraps) a database error meaning "not reachable now": Npgsql's transient
    /// errors (socket, I/O and timeout failures underneath), PostgreSQL's connection and shutdown states, SQLite busy/locked/I/O.
    /// Only database exceptions count, so a client's aborted request body (an <see cref="IOException"/>) is not one.
    /// </summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    // Class 08 connection exception, 53 insufficient resources, 57P01-57P03 shutdown / cannot connect now.
                    return postgres.IsTransient
                        || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || postgres.SqlState is "57P01" or "57P02" or "57P03";
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
                case NpgsqlException:
                    return false;
                case SqliteException sqlite:
                    return Array.IndexOf(SqliteUnavailableCodes, sqlite.SqliteErrorCode & 0xFF) >= 0;
            }
        }

        return false;
    }

    /// <summary>
    /// Why the database failed, for the server log: the message of the database exception in <paramref name="exception"/>'s chain
    /// (SQLite's "database or disk is full", PostgreSQL's SQLSTATE and text, Npgsql's connection failure) and of its cause, if any.
    /// These messages name no credential (the exception is logged in full anyway); long ones are cut.
    /// </summary>
    public static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var database = exception;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException)
            {
                database = current;
                break;
            }
        }

        var reason = database.Message.TrimEnd('.', ' ');
        if (database.InnerException is { } cause && cause is not DbException)
        {
            reason += ": " + cause.Message.TrimEnd('.', ' ');
        }

        return reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength] + "…";
    }
}
