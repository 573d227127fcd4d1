using System.Net.Sockets;
using AgentVault.Broker.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentVault.Broker.Tests.Storage;

public sealed class DatabaseErrorsTests
{
    [Fact]
    public void NpgsqlConnectionFailure_IsUnavailable() =>
        Assert.True(DatabaseErrors.IsUnavailable(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))));

    [Fact]
    public void NpgsqlTimeout_IsUnavailable() =>
        Assert.True(DatabaseErrors.IsUnavailable(new NpgsqlException("Exception while reading from stream", new TimeoutException())));

    [Fact]
    public void WrappedNpgsqlConnectionFailure_IsUnavailable() =>
        Assert.True(DatabaseErrors.IsUnavailable(new InvalidOperationException("saving failed", new NpgsqlException("broken", new IOException("reset")))));

    [Fact]
    public void NpgsqlErrorThatIsNotTransient_IsNotUnavailable() =>
        Assert.False(DatabaseErrors.IsUnavailable(new NpgsqlException("syntax error")));

    [Theory]
    [InlineData(5)] // SQLITE_BUSY
    [InlineData(6)] // SQLITE_LOCKED
    [InlineData(10)] // SQLITE_IOERR
    [InlineData(13)] // SQLITE_FULL: the data disk is full
    [InlineData(266)] // SQLITE_IOERR_READ (extended)
    public void SqliteBusyOrIoError_IsUnavailable(int code) =>
        Assert.True(DatabaseErrors.IsUnavailable(new SqliteException("busy", code)));

    [Fact]
    public void SqliteConstraint_IsNotUnavailable() =>
        Assert.False(DatabaseErrors.IsUnavailable(new SqliteException("constraint failed", 19)));

    [Fact]
    public void WrappedSqliteFullDisk_ReasonIsSqlitesMessage() =>
        Assert.Equal(
            "SQLite Error 13: 'database or disk is full'",
            DatabaseErrors.Reason(new InvalidOperationException("saving failed", new SqliteException("SQLite Error 13: 'database or disk is full'.", 13))));

    [Fact]
    public void NpgsqlConnectionFailure_ReasonNamesTheCause() =>
        Assert.Equal(
            "Failed to connect to 127.0.0.1:5432: Connection refused",
            DatabaseErrors.Reason(new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused))));

    [Fact]
    public void LongMessage_ReasonIsCut() =>
        Assert.Equal(301, DatabaseErrors.Reason(new SqliteException(new string('x', 1000), 13)).Length);

    [Fact]
    public void IoErrorWithoutADatabaseException_IsNotUnavailable()
    {
        // A client's aborted request body is an IOException: not a database outage.
        Assert.False(DatabaseErrors.IsUnavailable(new IOException("The client disconnected")));
        Assert.False(DatabaseErrors.IsUnavailable(new TimeoutException()));
        Assert.False(DatabaseErrors.IsUnavailable(null));
    }
}
