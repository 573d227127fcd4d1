using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using AgentVault.Broker.Security;

namespace AgentVault.Broker.Identity;

/// <summary>
/// One-time codes of the CLI's browser sign-in (loopback redirect, RFC 8252): after the person signs in, the browser is sent
/// to <c>http://127.0.0.1:PORT/callback?code=…</c>, and the CLI trades the code, with the PKCE verifier only it holds, for a
/// session. A code lives two minutes, works once, and only with the verifier of the challenge it was made for. Per
/// instance, in memory (the CLI trades it at the address it started at).
/// </summary>
internal sealed class CliLoginCodes(TimeProvider time)
{
    public const int MaxPending = 1000;

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, Pending> _codes = new(StringComparer.Ordinal);

    /// <summary>A code for <paramref name="person"/>, bound to <paramref name="challenge"/> (base64url SHA-256 of the verifier); null when too many are pending.</summary>
    public string? Issue(Person person, string challenge)
    {
        Sweep();
        if (_codes.Count >= MaxPending)
        {
            return null;
        }

        var code = TokenGenerator.NewLoginCode();
        _codes[TokenHasher.Hash(code)] = new Pending(person, challenge, time.GetUtcNow() + Lifetime);
        return code;
    }

    /// <summary>The person of <paramref name="code"/> when <paramref name="verifier"/> matches its challenge; the code is used up either way.</summary>
    public Person? Redeem(string? code, string? verifier)
    {
        if (code is null || verifier is null || code.Length > 100 || verifier.Length is < 43 or > 128 || !_codes.TryRemove(TokenHasher.Hash(code), out var pending))
        {
            return null;
        }

        var computed = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
        var expected = Encoding.ASCII.GetBytes(pending.Challenge);
        return pending.Expires > time.GetUtcNow() && CryptographicOperations.FixedTimeEquals(computed, expected) ? pending.Person : null;
    }

    public static bool IsChallenge(string? text) => text is { Length: 43 } && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (key, pending) in _codes)
        {
            if (pending.Expires <= now)
            {
                _codes.TryRemove(key, out _);
            }
        }
    }

    private sealed record Pending(Person Person, string Challenge, DateTimeOffset Expires);
}
