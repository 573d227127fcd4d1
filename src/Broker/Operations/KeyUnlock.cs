using System.Security.Cryptography;
using System.Text.Json;
using AgentVault.Broker.Security;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Operations;

/// <summary>
/// What unlocks a wrapped data key outside the server, exactly as the server unlocks it at start-up: the master password
/// (Argon2id with the cost stored beside the key) or, for a <c>--dev</c> data directory, its key file.
/// </summary>
internal sealed class KeyUnlock
{
    public KeyUnlock(string? password, string keyFilePath)
    {
        Password = password;
        KeyFilePath = keyFilePath;
    }

    public string? Password { get; }

    public string KeyFilePath { get; }

    /// <summary>The 32-byte data key (the caller zeroes it); <paramref name="what"/> names what is being unlocked in messages.</summary>
    public byte[] Unwrap(byte[] storedRecord, string what)
    {
        WrappedDataKey record;
        try
        {
            record = WrappedDataKey.FromBytes(storedRecord);
        }
        catch (JsonException)
        {
            throw new OperationsException($"the data key record of {what} is malformed");
        }

        byte[] kek;
        string failure;
        switch (record.Kek)
        {
            case WrappedDataKey.PasswordKek:
                var password = Password ?? throw new OperationsException(
                    $"{what} is protected by the master password: set AGENT_VAULT_MASTER_PASSWORD or pass --password-stdin");
                if (record.Salt is not { Length: >= 16 } salt || record.Parameters is not { IsReasonable: true } parameters)
                {
                    throw new OperationsException($"the data key record of {what} is malformed (bad salt or Argon2id parameters)");
                }

                kek = Argon2idKdf.DeriveKey(password, salt, parameters);
                failure = $"the master password does not unlock {what}";
                break;
            case WrappedDataKey.KeyFileKek:
                if (!File.Exists(KeyFilePath))
                {
                    throw new OperationsException($"{what} is protected by a --dev key file, and {KeyFilePath} does not exist (pass --key-file FILE)");
                }

                try
                {
                    kek = KeyFile.Load(KeyFilePath);
                }
                catch (BrokerStartupException ex)
                {
                    throw new OperationsException(ex.Message);
                }

                failure = $"the key file {KeyFilePath} does not unlock {what}";
                break;
            default:
                throw new OperationsException($"the data key of {what} uses an unknown protection '{record.Kek}' (written by a newer agent-vault?)");
        }

        try
        {
            var key = AesGcmEnvelope.Open(kek, record.WrappedKey, WrappedDataKey.AssociatedData);
            return key.Length == Argon2idKdf.KeySize ? key : throw new OperationsException($"the data key of {what} has the wrong length");
        }
        catch (CryptographicException)
        {
            throw new OperationsException(failure);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    /// <summary>Whether the record is wrapped by a key file (then a restore on a new machine needs that file too).</summary>
    public static bool UsesKeyFile(byte[] storedRecord) => WrappedDataKey.FromBytes(storedRecord).Kek == WrappedDataKey.KeyFileKek;
}
