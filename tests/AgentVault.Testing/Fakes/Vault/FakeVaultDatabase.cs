using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.Vault;

/// <summary>
/// The database secrets engine of the fake Vault: <c>creds/&lt;role&gt;</c> issues a username and password under a lease;
/// leases are renewed and revoked through <c>sys/leases</c>, and expire. With a <see cref="IFakeVaultDatabaseHook"/> the
/// credentials are created in, and dropped from, a real database.
/// </summary>
internal sealed class FakeVaultDatabase
{
    private readonly object _sync = new();
    private readonly TimeProvider _time;
    private readonly string _mount;
    private readonly Dictionary<string, Role> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeVaultLease> _leases = new(StringComparer.Ordinal);

    public FakeVaultDatabase(TimeProvider time, string mount)
    {
        _time = time;
        _mount = mount;
    }

    public IFakeVaultDatabaseHook? Hook { get; set; }

    public int Revocations { get; private set; }

    public IReadOnlyList<FakeVaultLease> ActiveLeases
    {
        get
        {
            lock (_sync)
            {
                return [.. _leases.Values];
            }
        }
    }

    public void AddRole(string name, TimeSpan defaultTtl, TimeSpan maxTtl, bool renewable)
    {
        lock (_sync)
        {
            _roles[name] = new Role(defaultTtl, maxTtl, renewable);
        }
    }

    public async Task<FakeVaultReply> IssueAsync(string roleName, CancellationToken cancellationToken)
    {
        Role? role;
        lock (_sync)
        {
            _roles.TryGetValue(roleName, out role);
        }

        if (role is null)
        {
            return FakeVaultReply.Error(StatusCodes.Status400BadRequest, $"unknown role: {roleName}");
        }

        var now = _time.GetUtcNow();
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var lease = new FakeVaultLease
        {
            Id = $"{_mount}/creds/{roleName}/{Guid.NewGuid():N}",
            Role = roleName,
            Username = $"v-fake-{roleName}-{suffix}",
            Password = "A1a-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', 'x').Replace('/', 'y'),
            ExpiresAt = now + role.DefaultTtl,
            MaxExpiresAt = now + role.MaxTtl,
            Renewable = role.Renewable,
        };

        if (Hook is not null)
        {
            await Hook.CreateUserAsync(lease.Username, lease.Password, lease.ExpiresAt, cancellationToken);
        }

        lock (_sync)
        {
            _leases[lease.Id] = lease;
        }

        var data = new JsonObject { ["username"] = lease.Username, ["password"] = lease.Password };
        return FakeVaultReply.Secret(data, lease.Id, (long)role.DefaultTtl.TotalSeconds, role.Renewable);
    }

    public async Task<FakeVaultReply> RenewAsync(JsonObject? body, CancellationToken cancellationToken)
    {
        await ExpireAsync(cancellationToken);
        var id = body?["lease_id"]?.ToString();
        FakeVaultLease? lease;
        DateTimeOffset end;
        DateTimeOffset now;
        lock (_sync)
        {
            if (id is null || !_leases.TryGetValue(id, out lease))
            {
                return FakeVaultReply.Error(StatusCodes.Status400BadRequest, "lease not found");
            }

            if (!lease.Renewable)
            {
                return FakeVaultReply.Error(StatusCodes.Status400BadRequest, "lease is not renewable");
            }

            now = _time.GetUtcNow();
            var increment = FakeVaultDurations.Parse(body?["increment"]) ?? _roles[lease.Role].DefaultTtl;
            end = now + increment > lease.MaxExpiresAt ? lease.MaxExpiresAt : now + increment;
            lease.ExpiresAt = end;
            lease.Renewals++;
        }

        if (Hook is not null)
        {
            await Hook.RenewUserAsync(lease.Username, end, cancellationToken);
        }

        var remaining = (long)Math.Round(Math.Max(0, (end - now).TotalSeconds));
        return new FakeVaultReply(StatusCodes.Status200OK, new JsonObject
        {
            ["request_id"] = Guid.NewGuid().ToString(),
            ["lease_id"] = lease.Id,
            ["renewable"] = true,
            ["lease_duration"] = remaining,
            ["data"] = null,
        });
    }

    public async Task<FakeVaultReply> RevokeAsync(JsonObject? body, CancellationToken cancellationToken)
    {
        var id = body?["lease_id"]?.ToString();
        if (string.IsNullOrEmpty(id))
        {
            return FakeVaultReply.Error(StatusCodes.Status400BadRequest, "missing lease_id");
        }

        FakeVaultLease? lease;
        lock (_sync)
        {
            if (_leases.Remove(id, out lease))
            {
                Revocations++;
            }
        }

        if (lease is not null && Hook is not null)
        {
            await Hook.DropUserAsync(lease.Username, cancellationToken);
        }

        return FakeVaultReply.NoContent;
    }

    /// <summary>Revokes every lease whose time is up, as Vault's expiration manager does.</summary>
    public async Task ExpireAsync(CancellationToken cancellationToken)
    {
        List<FakeVaultLease> expired;
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            expired = [.. _leases.Values.Where(l => l.ExpiresAt <= now)];
            foreach (var lease in expired)
            {
                _leases.Remove(lease.Id);
            }
        }

        if (Hook is not null)
        {
            foreach (var lease in expired)
            {
                await Hook.DropUserAsync(lease.Username, cancellationToken);
            }
        }
    }

    private sealed record Role(TimeSpan DefaultTtl, TimeSpan MaxTtl, bool Renewable);
}
