using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Plugins.Tokens;

/// <summary>A SHA-256 over credential values (never stored or logged) so a cache notices when any of them changes.</summary>
public static class CredentialFingerprint
{
    public static string Of(params string?[] values)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var value in values)
        {
            var bytes = Encoding.UTF8.GetBytes(value ?? string.Empty);
            hash.AppendData(BitConverter.GetBytes(value is null ? -1 : bytes.Length));
            hash.AppendData(bytes);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
