namespace AgentVault.Broker.Storage.Common;

/// <summary>One table of a live database: its columns in their declared order and the tables its foreign keys point at.</summary>
internal sealed record SchemaTable(string Name, IReadOnlyList<SchemaColumn> Columns, IReadOnlyList<string> References)
{
    /// <summary>Whether a column of this table is numbered by the engine (a copy must carry those numbers over and advance the counter).</summary>
    public bool HasGeneratedColumn => Columns.Any(c => c.IsGenerated);
}
