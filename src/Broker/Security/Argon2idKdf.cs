using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace AgentVault.Broker.Security;

/// <summary>Derives the key-encryption key from the master password with Argon2id (BouncyCastle).</summary>
internal static class Argon2idKdf
{
    public const int KeySize = 32;

    public static byte[] DeriveKey(string password, byte[] salt, Argon2idParameters parameters)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        try
        {
            var generator = new Argon2BytesGenerator();
            generator.Init(new Argon2Parameters.Builder(Argon2Parameters.Argon2id)
                .WithVersion(Argon2Parameters.Version13)
                .WithMemoryAsKB(parameters.MemoryKiB)
                .WithIterations(parameters.Iterations)
                .WithParallelism(parameters.Parallelism)
                .WithSalt(salt)
                .Build());
            var key = new byte[KeySize];
            generator.GenerateBytes(passwordBytes, key);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }
}
