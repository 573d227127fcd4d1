using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Broker.Security;

/// <summary>
/// The one ciphertext format used at rest: <c>version (1 byte) ‖ nonce (12) ‖ ciphertext ‖ tag (16)</c>, AES-256-GCM,
/// with the version byte and the caller's associated data both authenticated.
/// </summary>
internal static class AesGcmEnvelope
{
    public const byte Version1 = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int Overhead = 1 + NonceSize + TagSize;

    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, string associatedData)
    {
        var aad = AssociatedData(associatedData);
        var output = new byte[Overhead + plaintext.Length];
        output[0] = Version1;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize, plaintext.Length), output.AsSpan(1 + NonceSize + plaintext.Length), aad);
        return output;
    }

    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> envelope, string associatedData)
    {
        var aad = AssociatedData(associatedData);
        if (envelope.Length < Overhead || envelope[0] != Version1)
        {
            throw new CryptographicException("the protected data is malformed or has an unknown format version");
        }

        var length = envelope.Length - Overhead;
        var plaintext = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(envelope.Slice(1, NonceSize), envelope.Slice(1 + NonceSize, length), envelope.Slice(1 + NonceSize + length, TagSize), plaintext, aad);
        return plaintext;
    }

    // The version byte is bound too, so a ciphertext cannot be replayed under another format version.
    private static byte[] AssociatedData(string associatedData)
    {
        if (string.IsNullOrEmpty(associatedData))
        {
            throw new ArgumentException("associated data is required: it binds the ciphertext to what it protects", nameof(associatedData));
        }

        var bytes = new byte[1 + Encoding.UTF8.GetByteCount(associatedData)];
        bytes[0] = Version1;
        Encoding.UTF8.GetBytes(associatedData, bytes.AsSpan(1));
        return bytes;
    }
}
