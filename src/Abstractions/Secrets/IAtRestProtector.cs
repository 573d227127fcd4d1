namespace AgentVault.Abstractions.Secrets;

/// <summary>Authenticated encryption with the broker's data key (AES-256-GCM); the associated data binds a ciphertext to what it protects.</summary>
public interface IAtRestProtector
{
    /// <summary>Encrypts <paramref name="plaintext"/>; <paramref name="associatedData"/> must be given again to decrypt.</summary>
    byte[] Protect(ReadOnlySpan<byte> plaintext, string associatedData);

    /// <summary>Decrypts; throws <see cref="System.Security.Cryptography.CryptographicException"/> when the data or its binding was tampered with.</summary>
    byte[] Unprotect(ReadOnlySpan<byte> ciphertext, string associatedData);
}
