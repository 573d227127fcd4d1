namespace AgentVault.Broker.Operations;

/// <summary>Receives a database's tables one after another, parents first (a destination database, or a backup being written).</summary>
internal interface ITableSink
{
    Task BeginTableAsync(string table, IReadOnlyList<string> columns, CancellationToken cancellationToken);

    /// <summary>One row, its values normalised by <see cref="CellValues.Normalize"/> in the order of the table's columns.</summary>
    Task WriteRowAsync(object?[] values, CancellationToken cancellationToken);

    Task EndTableAsync(CancellationToken cancellationToken);
}
