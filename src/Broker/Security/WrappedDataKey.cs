using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Security;

/// <summary>The stored form of the data key: wrapped by a KEK from the master password (Argon2id, salt and cost kept here) or from the dev key file.</summary>
internal sealed record WrappedDataKey
{
    public const string BlobName = "security/data-key";
    public const string PasswordKek = "argon2id";
    public const string KeyFileKek = "key-file";

    /// <summary>Binds the wrapped key to its purpose, so no other ciphertext of the same KEK can be passed off as the data key.</summary>
    public const string AssociatedData = "agent-vault/data-key/v1";

    public int Version { get; init; } = 1;

    public required string Kek { get; init; }

    public byte[]? Salt { get; init; }

    public int? MemoryKib { get; init; }

    public int? Iterations { get; init; }

    public int? Parallelism { get; init; }

    public required byte[] WrappedKey { get; init; }

    public Argon2idParameters? Parameters =>
        MemoryKib is { } m && Iterations is { } t && Parallelism is { } p ? new Argon2idParameters(m, t, p) : null;

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ModelJson.Options);

    public static WrappedDataKey FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize<WrappedDataKey>(bytes, ModelJson.Options) ?? throw new JsonException("empty data key record");
}
