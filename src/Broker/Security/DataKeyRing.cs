using System.Security.Cryptography;

namespace AgentVault.Broker.Security;

/// <summary>Holds the unwrapped 256-bit data key for the lifetime of the process; set once at start-up by <see cref="MasterKeyUnlocker"/>.</summary>
internal sealed class DataKeyRing : IDisposable
{
    private byte[]? _key;

    public bool IsUnlocked => Volatile.Read(ref _key) is not null;

    public void Set(byte[] key)
    {
        if (key.Length != Argon2idKdf.KeySize)
        {
            throw new ArgumentException("the data key must be 32 bytes", nameof(key));
        }

        if (Interlocked.CompareExchange(ref _key, key, null) is not null)
        {
            throw new InvalidOperationException("the data key is already set");
        }
    }

    public ReadOnlySpan<byte> Key => Volatile.Read(ref _key) ?? throw new InvalidOperationException("the data key is not unlocked yet (start-up has not finished)");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _key, null) is { } key)
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
