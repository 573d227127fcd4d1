using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Security;

/// <summary>Encrypts data at rest with the broker's data key (AES-256-GCM, random 96-bit nonce, versioned format, associated data required).</summary>
internal sealed class AtRestProtector(DataKeyRing keyRing) : IAtRestProtector
{
    public byte[] Protect(ReadOnlySpan<byte> plaintext, string associatedData) => AesGcmEnvelope.Seal(keyRing.Key, plaintext, associatedData);

    public byte[] Unprotect(ReadOnlySpan<byte> ciphertext, string associatedData) => AesGcmEnvelope.Open(keyRing.Key, ciphertext, associatedData);
}
