using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage.Common;

/// <summary>Reads the configuration document back from its normalized tables (stores, vaults, credentials, services, agents, notifications), in saved order.</summary>
internal static class ConfigDocumentReader
{
    /// <summary>Reads inside <paramref name="transaction"/>, which the caller opens at an isolation level that gives one snapshot.</summary>
    public static async Task<ConfigDocument> LoadAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var stores = await SqlDatabase.QueryAsync(connection, transaction, "SELECT name, type, settings, cache FROM stores ORDER BY position;", ReadStore, cancellationToken);
        var credentialRows = await SqlDatabase.QueryAsync(
            connection, transaction, "SELECT vault, key, ref, ttl FROM credentials ORDER BY vault, position;",
            r => (Vault: r.GetString(0), Key: r.GetString(1), Value: new CredentialDefinition { Ref = r.GetString(2), Ttl = SqlDatabase.ReadText(r, 3) }),
            cancellationToken);
        var serviceRows = await SqlDatabase.QueryAsync(
            connection, transaction, "SELECT vault, spec FROM services ORDER BY vault, position;",
            r => (Vault: r.GetString(0), Value: JsonSerializer.Deserialize<ServiceDefinition>(r.GetString(1), ModelJson.Options)!),
            cancellationToken);
        var vaults = await SqlDatabase.QueryAsync(
            connection, transaction, "SELECT name, unmatched, id FROM vaults ORDER BY position;",
            r => new VaultDefinition { Name = r.GetString(0), Unmatched = SqlDatabase.ReadText(r, 1), Id = SqlDatabase.ReadText(r, 2) },
            cancellationToken);

        for (var i = 0; i < vaults.Count; i++)
        {
            var name = vaults[i].Name;
            var credentials = new Dictionary<string, CredentialDefinition>(StringComparer.Ordinal);
            foreach (var row in credentialRows.Where(row => row.Vault == name))
            {
                credentials[row.Key] = row.Value;
            }

            vaults[i] = vaults[i] with { Credentials = credentials, Services = [.. serviceRows.Where(row => row.Vault == name).Select(row => row.Value)] };
        }

        var agents = await SqlDatabase.QueryAsync(
            connection, transaction, "SELECT spec FROM agents ORDER BY position;", r => JsonSerializer.Deserialize<AgentDefinition>(r.GetString(0), ModelJson.Options)!, cancellationToken);

        var notifications = await SqlDatabase.QueryAsync(
            connection, transaction, "SELECT spec FROM notifications ORDER BY position;", r => JsonSerializer.Deserialize<NotificationDefinition>(r.GetString(0), ModelJson.Options)!, cancellationToken);

        var access = await SqlDatabase.QueryAsync(
            connection, transaction, "SELECT spec FROM access_rules ORDER BY position;", r => JsonSerializer.Deserialize<AccessRule>(r.GetString(0), ModelJson.Options)!, cancellationToken);

        // None configured reads as absent (not an empty list), so such a configuration exports exactly as before these sections existed.
        return new ConfigDocument
        {
            Stores = stores, Vaults = vaults, Agents = agents, Notifications = notifications.Count == 0 ? null : notifications, Access = access.Count == 0 ? null : access,
        };
    }

    private static StoreDefinition ReadStore(DbDataReader r) => new()
    {
        Name = r.GetString(0),
        Type = r.GetString(1),
        Settings = r.IsDBNull(2) ? null : JsonNode.Parse(r.GetString(2))?.AsObject(),
        Cache = r.IsDBNull(3) ? null : JsonSerializer.Deserialize<CacheDefinition>(r.GetString(3), ModelJson.Options),
    };
}
