namespace AgentVault.Broker.Operations;

/// <summary>What a migrate or restore wrote: the schema version and the rows per table, parents first.</summary>
internal sealed record CopyResult(int SchemaVersion, IReadOnlyList<TableCount> Tables)
{
    public long TotalRows => Tables.Sum(t => t.Rows);
}
