using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Broker.Security;

/// <summary>Tokens are stored and looked up as SHA-256 hashes (they are 256-bit random, so no slow hash is needed); comparisons are constant-time.</summary>
public static class TokenHasher
{
    /// <summary>Lower-case hex SHA-256 of the token's UTF-8 bytes.</summary>
    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Compares two hashes (or tokens) in constant time.</summary>
    public static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
