using System.Data;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Model;
using Microsoft.Data.Sqlite;

namespace AgentVault.Broker.Storage;

/// <summary>The configuration document in normalized SQLite tables (stores, vaults, credentials, services, agents), order preserved by position.</summary>
internal sealed class SqliteConfigRepository(SqliteDatabase database, TimeProvider time) : IConfigRepository
{
    public async Task<ConfigDocument> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        var document = await LoadAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return document;
    }

    public async Task SaveAsync(ConfigDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
        await SqliteDatabase.ExecuteAsync(connection, transaction, "DELETE FROM services; DELETE FROM credentials; DELETE FROM vaults; DELETE FROM stores;", cancellationToken);

        var position = 0;
        foreach (var store in document.Stores ?? [])
        {
            await SqliteDatabase.ExecuteAsync(
                connection, transaction, "INSERT INTO stores (name, position, type, settings, cache) VALUES ($n, $p, $t, $s, $c);", cancellationToken,
                ("$n", store.Name), ("$p", position++), ("$t", store.Type), ("$s", store.Settings?.ToJsonString()), ("$c", store.Cache is null ? null : JsonSerializer.Serialize(store.Cache, ModelJson.Options)));
        }

        position = 0;
        foreach (var vault in document.Vaults ?? [])
        {
            await SqliteDatabase.ExecuteAsync(connection, transaction, "INSERT INTO vaults (name, position, unmatched) VALUES ($n, $p, $u);", cancellationToken, ("$n", vault.Name), ("$p", position++), ("$u", vault.Unmatched));
            var index = 0;
            foreach (var (key, credential) in vault.Credentials ?? [])
            {
                await SqliteDatabase.ExecuteAsync(
                    connection, transaction, "INSERT INTO credentials (vault, key, position, ref, ttl) VALUES ($v, $k, $p, $r, $t);", cancellationToken,
                    ("$v", vault.Name), ("$k", key), ("$p", index++), ("$r", credential.Ref), ("$t", credential.Ttl));
            }

            index = 0;
            foreach (var service in vault.Services ?? [])
            {
                await SqliteDatabase.ExecuteAsync(
                    connection, transaction, "INSERT INTO services (vault, name, position, spec) VALUES ($v, $n, $p, $s);", cancellationToken,
                    ("$v", vault.Name), ("$n", service.Name), ("$p", index++), ("$s", JsonSerializer.Serialize(service, ModelJson.Options)));
            }
        }

        await SaveAgentsAsync(connection, transaction, document.Agents ?? [], cancellationToken);
        await SqliteDatabase.BumpVersionAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long> GetVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetVersionAsync(connection, null, cancellationToken);
    }

    internal static async Task<long> GetVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken) =>
        Convert.ToInt64(await SqliteDatabase.ScalarAsync(connection, transaction, "SELECT version FROM change_version WHERE id = 1;", cancellationToken), CultureInfo.InvariantCulture);

    internal static async Task<ConfigDocument> LoadAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var stores = await SqliteDatabase.QueryAsync(connection, transaction, "SELECT name, type, settings, cache FROM stores ORDER BY position;", r => new StoreDefinition
        {
            Name = r.GetString(0),
            Type = r.GetString(1),
            Settings = r.IsDBNull(2) ? null : JsonNode.Parse(r.GetString(2))?.AsObject(),
            Cache = r.IsDBNull(3) ? null : JsonSerializer.Deserialize<CacheDefinition>(r.GetString(3), ModelJson.Options),
        }, cancellationToken);

        var credentialRows = await SqliteDatabase.QueryAsync(
            connection, transaction, "SELECT vault, key, ref, ttl FROM credentials ORDER BY vault, position;",
            r => (Vault: r.GetString(0), Key: r.GetString(1), Value: new CredentialDefinition { Ref = r.GetString(2), Ttl = r.IsDBNull(3) ? null : r.GetString(3) }),
            cancellationToken);
        var serviceRows = await SqliteDatabase.QueryAsync(
            connection, transaction, "SELECT vault, spec FROM services ORDER BY vault, position;",
            r => (Vault: r.GetString(0), Value: JsonSerializer.Deserialize<ServiceDefinition>(r.GetString(1), ModelJson.Options)!),
            cancellationToken);

        var vaults = await SqliteDatabase.QueryAsync(connection, transaction, "SELECT name, unmatched FROM vaults ORDER BY position;", r => new VaultDefinition
        {
            Name = r.GetString(0),
            Unmatched = r.IsDBNull(1) ? null : r.GetString(1),
        }, cancellationToken);

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

        var agents = await SqliteDatabase.QueryAsync(
            connection, transaction, "SELECT spec FROM agents ORDER BY position;", r => JsonSerializer.Deserialize<AgentDefinition>(r.GetString(0), ModelJson.Options)!, cancellationToken);

        return new ConfigDocument { Stores = stores, Vaults = vaults, Agents = agents };
    }

    // Agents keep their creation time across saves: upsert by name, then delete the ones the document no longer names.
    private async Task SaveAgentsAsync(SqliteConnection connection, SqliteTransaction transaction, List<AgentDefinition> agents, CancellationToken cancellationToken)
    {
        await SqliteDatabase.ExecuteAsync(connection, transaction, "UPDATE agents SET position = -1;", cancellationToken);
        var now = SqliteDatabase.FormatTime(time.GetUtcNow());
        var position = 0;
        foreach (var agent in agents)
        {
            await SqliteDatabase.ExecuteAsync(
                connection, transaction,
                "INSERT INTO agents (name, position, spec, created_at) VALUES ($n, $p, $s, $at) ON CONFLICT (name) DO UPDATE SET position = excluded.position, spec = excluded.spec;",
                cancellationToken, ("$n", agent.Name), ("$p", position++), ("$s", JsonSerializer.Serialize(agent, ModelJson.Options)), ("$at", now));
        }

        await SqliteDatabase.ExecuteAsync(connection, transaction, "DELETE FROM agents WHERE position = -1;", cancellationToken);
    }
}
