using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentVault.Testing.Fakes.GitHub;

/// <summary>
/// Verifies a GitHub App JWT the way GitHub does, independently of the plugin's signer: RS256 signature with the app's public key,
/// <c>iss</c> = app id (number or string) or client id, <c>exp</c> in the future but at most 10 minutes ahead, <c>iat</c> not in the future.
/// Returns null when the token is acceptable, else GitHub's message for the 401.
/// </summary>
internal static class FakeGitHubAppJwt
{
    private static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    public static string? Verify(string? authorization, RSA publicKey, string appId, string clientId, DateTimeOffset now)
    {
        const string undecodable = "A JSON web token could not be decoded";
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return "A JSON web token is required to access this endpoint";
        }

        var parts = authorization["Bearer ".Length..].Trim().Split('.');
        if (parts.Length != 3)
        {
            return undecodable;
        }

        JsonElement header, payload;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(FromBase64Url(parts[0])).RootElement;
            payload = JsonDocument.Parse(FromBase64Url(parts[1])).RootElement;
            signature = FromBase64Url(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return undecodable;
        }

        if (header.ValueKind != JsonValueKind.Object || payload.ValueKind != JsonValueKind.Object ||
            !header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256")
        {
            return undecodable;
        }

        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        if (!publicKey.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return undecodable;
        }

        var iss = payload.TryGetProperty("iss", out var i) ? i.ValueKind switch
        {
            JsonValueKind.Number => i.GetRawText(),
            JsonValueKind.String => i.GetString(),
            _ => null,
        } : null;
        if (iss != appId && iss != clientId)
        {
            return "'Issuer' claim ('iss') must be an Integer or the app's client ID";
        }

        if (!payload.TryGetProperty("exp", out var e) || e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var exp) ||
            DateTimeOffset.FromUnixTimeSeconds(exp) <= now)
        {
            return "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
        }

        if (DateTimeOffset.FromUnixTimeSeconds(exp) > now + MaxLifetime)
        {
            return "'Expiration time' claim ('exp') is too far in the future";
        }

        if (!payload.TryGetProperty("iat", out var t) || t.ValueKind != JsonValueKind.Number || !t.TryGetInt64(out var iat) ||
            DateTimeOffset.FromUnixTimeSeconds(iat) > now + Skew)
        {
            return "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued";
        }

        return null;
    }

    private static byte[] FromBase64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}
