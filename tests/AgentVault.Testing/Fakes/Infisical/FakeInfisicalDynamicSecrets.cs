using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentVault.Testing.Fakes.Vault;

namespace AgentVault.Testing.Fakes.Infisical;

/// <summary>Dynamic secrets (an SQL-database-like provider issuing <c>DB_USERNAME</c>/<c>DB_PASSWORD</c>) and their leases.</summary>
internal sealed class FakeInfisicalDynamicSecrets
{
    private readonly object _sync = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Environment, string Folder, string Name), Definition> _definitions = [];
    private readonly Dictionary<string, FakeInfisicalLease> _leases = new(StringComparer.Ordinal);

    public FakeInfisicalDynamicSecrets(TimeProvider time) => _time = time;

    /// <summary>Creates and drops the leased users in a real database when set.</summary>
    public IFakeVaultDatabaseHook? Hook { get; set; }

    public IReadOnlyList<FakeInfisicalLease> ActiveLeases
    {
        get
        {
            lock (_sync)
            {
                var now = _time.GetUtcNow();
                return [.. _leases.Values.Where(l => l.ExpireAt > now)];
            }
        }
    }

    public void Add(string environment, string folder, string name, TimeSpan defaultTtl, TimeSpan maxTtl)
    {
        lock (_sync)
        {
            _definitions[(environment, "/" + folder.Trim('/'), name)] = new Definition(Guid.NewGuid().ToString(), name, defaultTtl, maxTtl);
        }
    }

    public async Task<FakeInfisicalReply> CreateLeaseAsync(JsonObject? body, CancellationToken cancellationToken)
    {
        var key = (body?["environmentSlug"]?.ToString() ?? string.Empty, "/" + (body?["path"]?.ToString() ?? "/").Trim('/'), body?["dynamicSecretName"]?.ToString() ?? string.Empty);
        Definition? definition;
        lock (_sync)
        {
            _definitions.TryGetValue(key, out definition);
        }

        if (definition is null)
        {
            return FakeInfisicalReply.NotFound($"Dynamic secret with name '{key.Item3}' in folder with path '{key.Item2}' not found");
        }

        var ttl = FakeInfisicalDurations.Parse(body?["ttl"]?.ToString()) ?? definition.DefaultTtl;
        if (ttl > definition.MaxTtl)
        {
            return FakeInfisicalReply.BadRequest("TTL cannot be larger than max TTL");
        }

        var now = _time.GetUtcNow();
        var lease = new FakeInfisicalLease
        {
            Id = Guid.NewGuid().ToString(),
            DynamicSecret = definition.Name,
            Environment = key.Item1,
            Folder = key.Item2,
            Username = "inf-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
            CreatedAt = now,
            ExpireAt = now + ttl,
            MaxTtl = definition.MaxTtl,
        };
        var password = "P-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        if (Hook is not null)
        {
            await Hook.CreateUserAsync(lease.Username, password, lease.ExpireAt, cancellationToken);
        }

        lock (_sync)
        {
            _leases[lease.Id] = lease;
        }

        return FakeInfisicalReply.Ok(new JsonObject
        {
            ["lease"] = LeaseJson(lease, definition),
            ["dynamicSecret"] = new JsonObject
            {
                ["id"] = definition.Id,
                ["name"] = definition.Name,
                ["type"] = "sql-database",
                ["defaultTTL"] = $"{(long)definition.DefaultTtl.TotalSeconds}s",
                ["maxTTL"] = $"{(long)definition.MaxTtl.TotalSeconds}s",
                ["version"] = 1,
            },
            ["data"] = new JsonObject { ["DB_USERNAME"] = lease.Username, ["DB_PASSWORD"] = password },
        });
    }

    public async Task<FakeInfisicalReply> RenewAsync(string id, JsonObject? body, CancellationToken cancellationToken)
    {
        FakeInfisicalLease? lease;
        lock (_sync)
        {
            if (!_leases.TryGetValue(id, out lease) || lease.ExpireAt <= _time.GetUtcNow() || !Matches(lease, body))
            {
                return FakeInfisicalReply.NotFound("Dynamic secret lease not found");
            }

            // Infisical adds the ttl to the current expiry and refuses to go past creation + max TTL.
            var add = FakeInfisicalDurations.Parse(body?["ttl"]?.ToString()) ?? _definitions.Values.First(d => d.Name == lease.DynamicSecret).DefaultTtl;
            var end = lease.ExpireAt + add;
            if (end > lease.CreatedAt + lease.MaxTtl)
            {
                return FakeInfisicalReply.BadRequest("TTL cannot be larger than max ttl");
            }

            lease.ExpireAt = end;
            lease.Renewals++;
        }

        if (Hook is not null)
        {
            await Hook.RenewUserAsync(lease.Username, lease.ExpireAt, cancellationToken);
        }

        return FakeInfisicalReply.Ok(new JsonObject { ["lease"] = LeaseJson(lease, null) });
    }

    public async Task<FakeInfisicalReply> RevokeAsync(string id, JsonObject? body, CancellationToken cancellationToken)
    {
        FakeInfisicalLease? lease;
        lock (_sync)
        {
            if (!_leases.TryGetValue(id, out lease) || !Matches(lease, body))
            {
                return FakeInfisicalReply.NotFound("Dynamic secret lease not found");
            }

            _leases.Remove(id);
        }

        if (Hook is not null)
        {
            await Hook.DropUserAsync(lease.Username, cancellationToken);
        }

        return FakeInfisicalReply.Ok(new JsonObject { ["lease"] = LeaseJson(lease, null) });
    }

    private static bool Matches(FakeInfisicalLease lease, JsonObject? body) =>
        lease.Environment == body?["environmentSlug"]?.ToString() && lease.Folder == "/" + (body?["path"]?.ToString() ?? "/").Trim('/');

    private static JsonObject LeaseJson(FakeInfisicalLease lease, Definition? definition) => new()
    {
        ["id"] = lease.Id,
        ["version"] = lease.Renewals + 1,
        ["expireAt"] = lease.ExpireAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["dynamicSecretId"] = definition?.Id ?? string.Empty,
        ["createdAt"] = lease.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["updatedAt"] = lease.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        ["status"] = null,
        ["statusDetails"] = null,
    };

    private sealed record Definition(string Id, string Name, TimeSpan DefaultTtl, TimeSpan MaxTtl);
}
