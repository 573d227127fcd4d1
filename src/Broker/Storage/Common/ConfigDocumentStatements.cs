using System.Security.Cryptography;
using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Storage.Common;

/// <summary>The statements that write a configuration document into its normalized tables, in the order they must run.</summary>
internal static class ConfigDocumentStatements
{
    /// <summary>
    /// Empties the tables a save rewrites (vaults and agents are kept: they are upserted, so a vault keeps its identity and an
    /// agent its creation time).
    /// </summary>
    public const string Clear = "DELETE FROM services; DELETE FROM credentials; DELETE FROM stores; DELETE FROM notifications; DELETE FROM access_rules;";

    /// <summary>
    /// Bumps the configuration version; with <paramref name="expected"/>, only while it still is that version (compare-and-swap).
    /// Run it first in the saving transaction: one row affected means this writer owns the next version; none means another
    /// writer saved since the document was loaded, and the caller rolls back.
    /// </summary>
    public static SqlStatement BumpConfigVersion(long? expected) => expected is { } version
        ? new("UPDATE change_version SET config_version = config_version + 1 WHERE id = 1 AND config_version = @expected;", ("expected", version))
        : new("UPDATE change_version SET config_version = config_version + 1 WHERE id = 1;");

    /// <summary>
    /// The inserts for stores, the vault upserts with their credentials and services, then the agent upserts and the notification
    /// inserts, then the revocation
    /// of scoped tokens whose grant the document no longer holds; run them after <see cref="Clear"/> in one transaction.
    /// <paramref name="createdAt"/> is the creation time a new agent gets (and the revocation time), in the engine's time encoding.
    /// </summary>
    public static IEnumerable<SqlStatement> For(ConfigDocument document, object createdAt)
    {
        ArgumentNullException.ThrowIfNull(document);
        var position = 0;
        foreach (var store in document.Stores ?? [])
        {
            yield return new(
                "INSERT INTO stores (name, position, type, settings, cache) VALUES (@n, @p, @t, @s, @c);",
                ("n", store.Name), ("p", position++), ("t", store.Type), ("s", store.Settings?.ToJsonString()), ("c", store.Cache is null ? null : JsonSerializer.Serialize(store.Cache, ModelJson.Options)));
        }

        // Vaults keep their identity across saves: upsert by name (a new name gets a new id), then delete the ones the document no
        // longer names. Scoped tokens are bound to that identity, so a vault deleted and created again does not revive them.
        yield return new("UPDATE vaults SET position = -1;");
        position = 0;
        foreach (var vault in document.Vaults ?? [])
        {
            yield return new(
                "INSERT INTO vaults (name, position, unmatched, id) VALUES (@n, @p, @u, @id) ON CONFLICT (name) DO UPDATE SET position = excluded.position, unmatched = excluded.unmatched;",
                ("n", vault.Name), ("p", position++), ("u", vault.Unmatched), ("id", NewVaultId()));
            var index = 0;
            foreach (var (key, credential) in vault.Credentials ?? [])
            {
                yield return new(
                    "INSERT INTO credentials (vault, key, position, ref, ttl) VALUES (@v, @k, @p, @r, @t);",
                    ("v", vault.Name), ("k", key), ("p", index++), ("r", credential.Ref), ("t", credential.Ttl));
            }

            index = 0;
            foreach (var service in vault.Services ?? [])
            {
                yield return new(
                    "INSERT INTO services (vault, name, position, spec) VALUES (@v, @n, @p, @s);",
                    ("v", vault.Name), ("n", service.Name), ("p", index++), ("s", JsonSerializer.Serialize(service, ModelJson.Options)));
            }
        }

        // Agents keep their creation time across saves: upsert by name, then delete the ones the document no longer names.
        yield return new("UPDATE agents SET position = -1;");
        position = 0;
        foreach (var agent in document.Agents ?? [])
        {
            yield return new(
                "INSERT INTO agents (name, position, spec, created_at) VALUES (@n, @p, @s, @at) ON CONFLICT (name) DO UPDATE SET position = excluded.position, spec = excluded.spec;",
                ("n", agent.Name), ("p", position++), ("s", JsonSerializer.Serialize(agent, ModelJson.Options)), ("at", createdAt));
        }

        position = 0;
        foreach (var notification in document.Notifications ?? [])
        {
            yield return new(
                "INSERT INTO notifications (name, position, spec) VALUES (@n, @p, @s);",
                ("n", notification.Name), ("p", position++), ("s", JsonSerializer.Serialize(notification, ModelJson.Options)));
        }

        position = 0;
        foreach (var rule in document.Access ?? [])
        {
            yield return new("INSERT INTO access_rules (position, spec) VALUES (@p, @s);", ("p", position++), ("s", JsonSerializer.Serialize(rule, ModelJson.Options)));
        }

        yield return new("DELETE FROM vaults WHERE position = -1;");
        yield return new("DELETE FROM agents WHERE position = -1;");
        foreach (var statement in ScopedTokenRevocations.For(document, createdAt))
        {
            yield return statement;
        }
    }

    private static string NewVaultId() => "vlt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
