namespace AgentVault.Broker.Operations;

/// <summary>How many rows of one table a migrate, backup or restore carried.</summary>
internal sealed record TableCount(string Table, long Rows);
