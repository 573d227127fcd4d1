using System.Data.Common;

namespace AgentVault.Broker.Storage.Common;

/// <summary>Reads a non-null time column the way its engine stores it (SQLite: ISO 8601 text; PostgreSQL: timestamptz).</summary>
internal delegate DateTimeOffset TimeColumnReader(DbDataReader reader, int ordinal);
