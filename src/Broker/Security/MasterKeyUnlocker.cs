using System.Security.Cryptography;
using System.Text.Json;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Security;

/// <summary>
/// Unlocks (or on first start creates) the data key: a random 256-bit key wrapped with AES-256-GCM by a KEK derived from
/// the master password (Argon2id) or, in --dev mode without a password, read from <c>master.key</c>. Never overwrites existing key material.
/// </summary>
internal sealed class MasterKeyUnlocker(MasterKeyOptions options, IBlobRepository blobs, DataKeyRing keyRing, ILogger<MasterKeyUnlocker> logger)
{
    public async Task UnlockAsync(CancellationToken cancellationToken)
    {
        try
        {
            var stored = await blobs.GetAsync(WrappedDataKey.BlobName, cancellationToken);
            if (stored is null)
            {
                var (record, dataKey) = Create();
                if (await blobs.TryInsertAsync(WrappedDataKey.BlobName, record.ToBytes(), cancellationToken))
                {
                    keyRing.Set(dataKey);
                    SecurityLog.DataKeyCreated(logger, record.Kek);
                    return;
                }

                // Another instance sharing the database created the key first: use theirs.
                CryptographicOperations.ZeroMemory(dataKey);
                stored = await blobs.GetAsync(WrappedDataKey.BlobName, cancellationToken) ?? throw new BrokerStartupException("the data key record vanished during start-up");
            }

            keyRing.Set(Unwrap(Parse(stored)));
        }
        finally
        {
            options.Password = null;
        }
    }

    private (WrappedDataKey Record, byte[] DataKey) Create()
    {
        var dataKey = RandomNumberGenerator.GetBytes(Argon2idKdf.KeySize);
        if (options.Password is { } password)
        {
            var parameters = options.NewKeyParameters;
            var salt = RandomNumberGenerator.GetBytes(16);
            var kek = Argon2idKdf.DeriveKey(password, salt, parameters);
            try
            {
                return (new WrappedDataKey
                {
                    Kek = WrappedDataKey.PasswordKek,
                    Salt = salt,
                    MemoryKib = parameters.MemoryKiB,
                    Iterations = parameters.Iterations,
                    Parallelism = parameters.Parallelism,
                    WrappedKey = AesGcmEnvelope.Seal(kek, dataKey, WrappedDataKey.AssociatedData),
                }, dataKey);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(kek);
            }
        }

        if (!options.Dev)
        {
            throw new BrokerStartupException(
                "a master password is required to encrypt the CA key at rest: set AGENT_VAULT_MASTER_PASSWORD or pass --password-stdin (or use --dev to try it out with a generated key file)");
        }

        var fileKey = KeyFile.LoadOrCreate(options.KeyFilePath, out var created);
        if (created)
        {
            SecurityLog.DevKeyFileCreated(logger, options.KeyFilePath);
        }

        try
        {
            return (new WrappedDataKey { Kek = WrappedDataKey.KeyFileKek, WrappedKey = AesGcmEnvelope.Seal(fileKey, dataKey, WrappedDataKey.AssociatedData) }, dataKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fileKey);
        }
    }

    private byte[] Unwrap(WrappedDataKey record)
    {
        byte[] kek;
        string failure;
        switch (record.Kek)
        {
            case WrappedDataKey.PasswordKek:
                var password = options.Password ?? throw new BrokerStartupException(
                    "this data directory is protected by a master password: set AGENT_VAULT_MASTER_PASSWORD or pass --password-stdin");
                if (record.Salt is not { Length: >= 16 } salt || record.Parameters is not { IsReasonable: true } parameters)
                {
                    throw new BrokerStartupException("the stored data key record is malformed (bad salt or Argon2id parameters)");
                }

                kek = Argon2idKdf.DeriveKey(password, salt, parameters);
                failure = "the master password does not unlock this data directory";
                break;
            case WrappedDataKey.KeyFileKek:
                if (!File.Exists(options.KeyFilePath))
                {
                    throw new BrokerStartupException($"this data directory is protected by the key file {options.KeyFilePath}, which is missing");
                }

                if (options.Password is not null)
                {
                    SecurityLog.PasswordIgnoredForKeyFile(logger, options.KeyFilePath);
                }

                kek = KeyFile.Load(options.KeyFilePath);
                failure = $"the key file {options.KeyFilePath} does not unlock this data directory";
                break;
            default:
                throw new BrokerStartupException($"the stored data key uses an unknown protection '{record.Kek}' (written by a newer agent-vault?)");
        }

        try
        {
            var dataKey = AesGcmEnvelope.Open(kek, record.WrappedKey, WrappedDataKey.AssociatedData);
            return dataKey.Length == Argon2idKdf.KeySize ? dataKey : throw new BrokerStartupException("the stored data key has the wrong length");
        }
        catch (CryptographicException)
        {
            throw new BrokerStartupException(failure);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kek);
        }
    }

    private static WrappedDataKey Parse(byte[] stored)
    {
        try
        {
            return WrappedDataKey.FromBytes(stored);
        }
        catch (JsonException ex)
        {
            throw new BrokerStartupException("the stored data key record is malformed", ex);
        }
    }
}
