using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AgentVault.Broker.Operations;

/// <summary>
/// The encrypted body of a backup: a sequence of chunks <c>length (4, big-endian) ‖ final flag (1) ‖ ciphertext ‖ tag (16)</c>,
/// each AES-256-GCM under the file key with the chunk number as nonce and <c>header hash ‖ number ‖ flag</c> as associated data.
/// Reordering, dropping, appending or truncating chunks all fail authentication (the last chunk, and only it, is flagged final).
/// </summary>
internal static class SealedChunks
{
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;

    public static byte[] Nonce(long index)
    {
        var nonce = new byte[12];
        BinaryPrimitives.WriteInt64BigEndian(nonce.AsSpan(4), index);
        return nonce;
    }

    public static byte[] AssociatedData(byte[] headerHash, long index, bool final)
    {
        var aad = new byte[headerHash.Length + 9];
        headerHash.CopyTo(aad, 0);
        BinaryPrimitives.WriteInt64BigEndian(aad.AsSpan(headerHash.Length), index);
        aad[^1] = final ? (byte)1 : (byte)0;
        return aad;
    }
}
