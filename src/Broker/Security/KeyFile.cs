using System.Security.Cryptography;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Security;

/// <summary>The --dev master key file: 32 random bytes, created with mode 0600 (never readable by others, not even briefly).</summary>
internal static class KeyFile
{
    public static byte[] LoadOrCreate(string path, out bool created)
    {
        created = false;
        if (File.Exists(path))
        {
            return Load(path);
        }

        var key = RandomNumberGenerator.GetBytes(Argon2idKdf.KeySize);
        PrivateFile.WriteNew(path, key);
        created = true;
        return key;
    }

    public static byte[] Load(string path)
    {
        var key = File.ReadAllBytes(path);
        if (key.Length != Argon2idKdf.KeySize)
        {
            CryptographicOperations.ZeroMemory(key);
            throw new BrokerStartupException($"the key file {path} must hold exactly 32 bytes");
        }

        return key;
    }
}
