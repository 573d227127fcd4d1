using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AgentVault.Testing.Fakes.Infisical;

/// <summary>Machine identities (universal auth) and their access tokens in the fake Infisical.</summary>
internal sealed class FakeInfisicalAuth
{
    private readonly object _sync = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Identity> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Token> _tokens = new(StringComparer.Ordinal);

    public FakeInfisicalAuth(TimeProvider time) => _time = time;

    public int Logins { get; private set; }

    public int Renewals { get; private set; }

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

    public (string ClientId, string ClientSecret) AddIdentity(TimeSpan tokenTtl, TimeSpan tokenMaxTtl)
    {
        var id = Guid.NewGuid().ToString();
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        lock (_sync)
        {
            _identities[id] = new Identity(secret, tokenTtl, tokenMaxTtl);
        }

        return (id, secret);
    }

    public void RevokeAll()
    {
        lock (_sync)
        {
            _tokens.Clear();
        }
    }

    public bool IsValid(string? bearer)
    {
        lock (_sync)
        {
            return bearer is not null && _tokens.TryGetValue(bearer, out var t) && _time.GetUtcNow() < t.ExpiresAt;
        }
    }

    public FakeInfisicalReply Login(JsonObject? body)
    {
        lock (_sync)
        {
            var clientId = body?["clientId"]?.ToString();
            if (clientId is null || !_identities.TryGetValue(clientId, out var identity)
                || !string.Equals(body?["clientSecret"]?.ToString(), identity.Secret, StringComparison.Ordinal))
            {
                return FakeInfisicalReply.Error(401, "UnauthorizedError", "Invalid credentials");
            }

            Logins++;
            var now = _time.GetUtcNow();
            var value = "eyJ.fake." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            _tokens[value] = new Token(identity, now, now + identity.TokenTtl);
            return TokenReply(value, identity.TokenTtl, identity);
        }
    }

    public FakeInfisicalReply Renew(JsonObject? body)
    {
        lock (_sync)
        {
            var value = body?["accessToken"]?.ToString();
            var now = _time.GetUtcNow();
            if (value is null || !_tokens.TryGetValue(value, out var token) || now >= token.ExpiresAt)
            {
                return FakeInfisicalReply.Unauthorized();
            }

            var maxEnd = token.IssuedAt + token.Identity.TokenMaxTtl;
            if (now >= maxEnd)
            {
                return FakeInfisicalReply.Error(401, "UnauthorizedError", "Failed to renew access token due to max TTL expiration");
            }

            Renewals++;
            var end = now + token.Identity.TokenTtl > maxEnd ? maxEnd : now + token.Identity.TokenTtl;
            _tokens[value] = token with { ExpiresAt = end };
            return TokenReply(value, end - now, token.Identity);
        }
    }

    private static FakeInfisicalReply TokenReply(string value, TimeSpan expiresIn, Identity identity) => FakeInfisicalReply.Ok(new JsonObject
    {
        ["accessToken"] = value,
        ["expiresIn"] = (long)Math.Round(expiresIn.TotalSeconds),
        ["accessTokenMaxTTL"] = (long)identity.TokenMaxTtl.TotalSeconds,
        ["tokenType"] = "Bearer",
    });

    private sealed record Identity(string Secret, TimeSpan TokenTtl, TimeSpan TokenMaxTtl);

    private sealed record Token(Identity Identity, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt);
}
