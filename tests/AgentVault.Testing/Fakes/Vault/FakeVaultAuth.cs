using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Testing.Fakes.Vault;

/// <summary>Tokens, AppRole and Kubernetes logins, <c>lookup-self</c> and <c>renew-self</c> of the fake Vault.</summary>
internal sealed class FakeVaultAuth
{
    private readonly object _sync = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, FakeVaultToken> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AppRole> _appRoles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KubernetesRole> _kubernetesRoles = new(StringComparer.Ordinal);

    public FakeVaultAuth(TimeProvider time) => _time = time;

    public int Logins { get; private set; }

    public IReadOnlyList<string> TokenValues
    {
        get
        {
            lock (_sync)
            {
                return [.. _tokens.Keys];
            }
        }
    }

    public int Renewals { get; private set; }

    public string CreateToken(TimeSpan ttl, TimeSpan maxTtl, bool renewable, IReadOnlyList<string>? allowedPrefixes, string? value = null)
    {
        value ??= "hvs." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y');
        lock (_sync)
        {
            _tokens[value] = new FakeVaultToken { Value = value, IssuedAt = _time.GetUtcNow(), Ttl = ttl, MaxTtl = maxTtl, Renewable = renewable, AllowedPrefixes = allowedPrefixes };
        }

        return value;
    }

    public void RevokeToken(string token)
    {
        lock (_sync)
        {
            if (_tokens.TryGetValue(token, out var t))
            {
                t.Revoked = true;
            }
        }
    }

    public (string RoleId, string SecretId) AddAppRole(string mount, string name, TimeSpan ttl, TimeSpan maxTtl, IReadOnlyList<string>? allowedPrefixes)
    {
        var role = new AppRole(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), ttl, maxTtl, allowedPrefixes);
        lock (_sync)
        {
            _appRoles[mount + "/" + name] = role;
        }

        return (role.RoleId, role.SecretId);
    }

    public void AddKubernetesRole(string mount, string role, string jwt, TimeSpan ttl, IReadOnlyList<string>? allowedPrefixes)
    {
        lock (_sync)
        {
            _kubernetesRoles[mount + "/" + role] = new KubernetesRole(jwt, ttl, allowedPrefixes);
        }
    }

    /// <summary>Returns the token when it is valid and allowed to use <paramref name="path"/>, else null.</summary>
    public FakeVaultToken? Authorize(string? token, string path)
    {
        if (token is null)
        {
            return null;
        }

        lock (_sync)
        {
            return _tokens.TryGetValue(token, out var t) && t.IsValid(_time.GetUtcNow()) && t.Allows(path) ? t : null;
        }
    }

    public FakeVaultReply Login(string mount, JsonObject? body)
    {
        lock (_sync)
        {
            var roleId = body?["role_id"]?.ToString();
            var appRole = _appRoles.Where(p => p.Key.StartsWith(mount + "/", StringComparison.Ordinal)).Select(p => p.Value).FirstOrDefault(r => r.RoleId == roleId);
            if (appRole is not null)
            {
                if (!string.Equals(body?["secret_id"]?.ToString(), appRole.SecretId, StringComparison.Ordinal))
                {
                    return FakeVaultReply.Error(StatusCodes.Status400BadRequest, "invalid role or secret ID");
                }

                return IssueLoginToken(appRole.Ttl, appRole.MaxTtl, appRole.AllowedPrefixes);
            }

            var roleName = body?["role"]?.ToString();
            if (roleName is not null && _kubernetesRoles.TryGetValue(mount + "/" + roleName, out var k8s))
            {
                return string.Equals(body?["jwt"]?.ToString(), k8s.Jwt, StringComparison.Ordinal)
                    ? IssueLoginToken(k8s.Ttl, k8s.Ttl * 4, k8s.AllowedPrefixes)
                    : FakeVaultReply.Error(StatusCodes.Status403Forbidden, "permission denied");
            }

            return FakeVaultReply.Error(StatusCodes.Status400BadRequest, "invalid role or secret ID");
        }
    }

    public FakeVaultReply LookupSelf(FakeVaultToken token)
    {
        var now = _time.GetUtcNow();
        var remaining = token.Ttl <= TimeSpan.Zero ? 0 : (long)Math.Max(0, (token.IssuedAt + token.Ttl - now).TotalSeconds);
        var data = new JsonObject
        {
            ["accessor"] = "fake-accessor",
            ["creation_time"] = token.IssuedAt.ToUnixTimeSeconds(),
            ["creation_ttl"] = (long)token.Ttl.TotalSeconds,
            ["display_name"] = "fake",
            ["expire_time"] = token.Ttl <= TimeSpan.Zero ? null : (token.IssuedAt + token.Ttl).ToString("O", CultureInfo.InvariantCulture),
            ["policies"] = new JsonArray("default"),
            ["renewable"] = token.Renewable,
            ["ttl"] = remaining,
        };
        return FakeVaultReply.Secret(data);
    }

    public FakeVaultReply RenewSelf(FakeVaultToken token, JsonObject? body)
    {
        lock (_sync)
        {
            if (!token.Renewable)
            {
                return FakeVaultReply.Error(StatusCodes.Status400BadRequest, "lease is not renewable");
            }

            Renewals++;
            var now = _time.GetUtcNow();
            var requested = FakeVaultDurations.Parse(body?["increment"]) ?? token.Ttl;
            var end = now + requested;
            var maxEnd = token.IssuedAt + token.MaxTtl;
            if (end > maxEnd)
            {
                end = maxEnd;
            }

            token.Ttl = end - token.IssuedAt;
            return FakeVaultReply.Auth(token.Value, (long)Math.Max(0, (end - now).TotalSeconds), true, ["default"]);
        }
    }

    private FakeVaultReply IssueLoginToken(TimeSpan ttl, TimeSpan maxTtl, IReadOnlyList<string>? allowedPrefixes)
    {
        Logins++;
        var token = CreateToken(ttl, maxTtl, renewable: true, allowedPrefixes);
        return FakeVaultReply.Auth(token, (long)ttl.TotalSeconds, true, ["default"]);
    }

    private sealed record AppRole(string RoleId, string SecretId, TimeSpan Ttl, TimeSpan MaxTtl, IReadOnlyList<string>? AllowedPrefixes);

    private sealed record KubernetesRole(string Jwt, TimeSpan Ttl, IReadOnlyList<string>? AllowedPrefixes);
}
