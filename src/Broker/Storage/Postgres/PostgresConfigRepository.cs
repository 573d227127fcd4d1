using System.Data;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Model;
using Npgsql;

namespace AgentVault.Broker.Storage.Postgres;

/// <summary>The configuration document in normalized PostgreSQL tables (stores, vaults, credentials, services, agents), order preserved by position.</summary>
internal sealed class PostgresConfigRepository(PostgresDatabase database, TimeProvider time) : IConfigRepository
{
    public async Task<ConfigDocument> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var document = await LoadAsync(connection, transaction, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return document;
    }

    public async Task SaveAsync(ConfigDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        await using var write = await database.BeginWriteAsync(cancellationToken);
        await write.ExecuteAsync("DELETE FROM services; DELETE FROM credentials; DELETE FROM vaults; DELETE FROM stores;", cancellationToken);

        await using var batch = new NpgsqlBatch(write.Connection, write.Transaction);
        var position = 0;
        foreach (var store in document.Stores ?? [])
        {
            Add(
                batch, "INSERT INTO stores (name, position, type, settings, cache) VALUES (@n, @p, @t, @s, @c);",
                ("n", store.Name), ("p", position++), ("t", store.Type), ("s", store.Settings?.ToJsonString()), ("c", store.Cache is null ? null : JsonSerializer.Serialize(store.Cache, ModelJson.Options)));
        }

        position = 0;
        foreach (var vault in document.Vaults ?? [])
        {
            Add(batch, "INSERT INTO vaults (name, position, unmatched) VALUES (@n, @p, @u);", ("n", vault.Name), ("p", position++), ("u", vault.Unmatched));
            var index = 0;
            foreach (var (key, credential) in vault.Credentials ?? [])
            {
                Add(
                    batch, "INSERT INTO credentials (vault, key, position, ref, ttl) VALUES (@v, @k, @p, @r, @t);",
                    ("v", vault.Name), ("k", key), ("p", index++), ("r", credential.Ref), ("t", credential.Ttl));
            }

            index = 0;
            foreach (var service in vault.Services ?? [])
            {
                Add(
                    batch, "INSERT INTO services (vault, name, position, spec) VALUES (@v, @n, @p, @s);",
                    ("v", vault.Name), ("n", service.Name), ("p", index++), ("s", JsonSerializer.Serialize(service, ModelJson.Options)));
            }
        }

        // Agents keep their creation time across saves: upsert by name, then delete the ones the document no longer names.
        Add(batch, "UPDATE agents SET position = -1;");
        var now = time.GetUtcNow();
        position = 0;
        foreach (var agent in document.Agents ?? [])
        {
            Add(
                batch,
                "INSERT INTO agents (name, position, spec, created_at) VALUES (@n, @p, @s, @at) ON CONFLICT (name) DO UPDATE SET position = excluded.position, spec = excluded.spec;",
                ("n", agent.Name), ("p", position++), ("s", JsonSerializer.Serialize(agent, ModelJson.Options)), ("at", now));
        }

        Add(batch, "DELETE FROM agents WHERE position = -1;");
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await write.CommitAsync(changed: true, cancellationToken);
    }

    public Task<long> GetVersionAsync(CancellationToken cancellationToken) => database.GetVersionAsync(cancellationToken);

    internal static async Task<ConfigDocument> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var stores = await PostgresDatabase.QueryAsync(connection, transaction, "SELECT name, type, settings, cache FROM stores ORDER BY position;", r => new StoreDefinition
        {
            Name = r.GetString(0),
            Type = r.GetString(1),
            Settings = r.IsDBNull(2) ? null : JsonNode.Parse(r.GetString(2))?.AsObject(),
            Cache = r.IsDBNull(3) ? null : JsonSerializer.Deserialize<CacheDefinition>(r.GetString(3), ModelJson.Options),
        }, cancellationToken);

        var credentialRows = await PostgresDatabase.QueryAsync(
            connection, transaction, "SELECT vault, key, ref, ttl FROM credentials ORDER BY vault, position;",
            r => (Vault: r.GetString(0), Key: r.GetString(1), Value: new CredentialDefinition { Ref = r.GetString(2), Ttl = PostgresDatabase.ReadText(r, 3) }),
            cancellationToken);
        var serviceRows = await PostgresDatabase.QueryAsync(
            connection, transaction, "SELECT vault, spec FROM services ORDER BY vault, position;",
            r => (Vault: r.GetString(0), Value: JsonSerializer.Deserialize<ServiceDefinition>(r.GetString(1), ModelJson.Options)!),
            cancellationToken);

        var vaults = await PostgresDatabase.QueryAsync(connection, transaction, "SELECT name, unmatched FROM vaults ORDER BY position;", r => new VaultDefinition
        {
            Name = r.GetString(0),
            Unmatched = PostgresDatabase.ReadText(r, 1),
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

        var agents = await PostgresDatabase.QueryAsync(
            connection, transaction, "SELECT spec FROM agents ORDER BY position;", r => JsonSerializer.Deserialize<AgentDefinition>(r.GetString(0), ModelJson.Options)!, cancellationToken);

        return new ConfigDocument { Stores = stores, Vaults = vaults, Agents = agents };
    }

    private static void Add(NpgsqlBatch batch, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(PostgresDatabase.Parameter(name, value));
        }

        batch.BatchCommands.Add(command);
    }
}
