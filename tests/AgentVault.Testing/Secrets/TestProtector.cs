using System.Security.Cryptography;
using System.Text;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Testing.Secrets;

/// <summary>AES-256-GCM with a random key per instance: the same contract as the broker's protector, for tests.</summary>
public sealed class TestProtector : IAtRestProtector
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public byte[] Protect(ReadOnlySpan<byte> plaintext, string associatedData)
    {
        var output = new byte[12 + 16 + plaintext.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plaintext, output.AsSpan(28), output.AsSpan(12, 16), Encoding.UTF8.GetBytes(associatedData));
        return output;
    }

    public byte[] Unprotect(ReadOnlySpan<byte> ciphertext, string associatedData)
    {
        if (ciphertext.Length < 28)
        {
            throw new CryptographicException("too short");
        }

        var plain = new byte[ciphertext.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(ciphertext[..12], ciphertext[28..], ciphertext.Slice(12, 16), plain, Encoding.UTF8.GetBytes(associatedData));
        return plain;
    }
}
