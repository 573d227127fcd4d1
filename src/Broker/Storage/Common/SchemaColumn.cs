namespace AgentVault.Broker.Storage.Common;

/// <summary>One column of a live table: its name, its declared type (as the engine reports it) and whether the engine numbers it (identity or autoincrement).</summary>
internal sealed record SchemaColumn(string Name, string Type, bool IsGenerated);
