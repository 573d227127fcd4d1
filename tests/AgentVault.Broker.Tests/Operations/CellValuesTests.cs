using AgentVault.Broker.Operations;
using AgentVault.Broker.Storage.Common;

namespace AgentVault.Broker.Tests.Operations;

public sealed class CellValuesTests
{
    private static readonly DateTime Time = new(2026, 12, 7, 21, 0, 1, DateTimeKind.Utc);

    [Fact]
    public void SqliteTimeText_BecomesATimestampForPostgres_AndBack()
    {
        var column = new SchemaColumn("created_at", "timestamp with time zone", false);

        var forPostgres = CellValues.ForPostgres("2026-12-07T21:00:01.0000000Z", column);

        Assert.Equal(Time, forPostgres);
        Assert.Equal("2026-12-07T21:00:01.0000000Z", CellValues.ForSqlite(CellValues.Normalize(new DateTimeOffset(Time))));
    }

    [Fact]
    public void IntegersTakeTheDestinationWidth_AndNullsStayNull()
    {
        Assert.IsType<int>(CellValues.ForPostgres(7L, new SchemaColumn("position", "integer", false)));
        Assert.IsType<long>(CellValues.ForPostgres(7L, new SchemaColumn("id", "bigint", true)));
        Assert.Equal(DBNull.Value, CellValues.ForPostgres(null, new SchemaColumn("vault", "text", false)));
        Assert.Equal(7L, CellValues.Normalize(7));
    }

    [Fact]
    public void BytesIntoATextColumn_IsRefused()
    {
        Assert.Throws<OperationsException>(() => CellValues.ForPostgres(new byte[] { 1 }, new SchemaColumn("name", "text", false)));
    }
}
