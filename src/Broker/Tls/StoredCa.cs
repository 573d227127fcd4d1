using System.Text.Json;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tls;

/// <summary>The CA as stored in one blob (inserted atomically): the DER certificate and the PKCS#8 private key encrypted by the at-rest protector.</summary>
internal sealed record StoredCa
{
    public const string BlobName = "tls/ca";

    /// <summary>Binds the encrypted key to its purpose.</summary>
    public const string KeyAssociatedData = "agent-vault/ca/private-key/v1";

    public required byte[] Certificate { get; init; }

    public required byte[] EncryptedPrivateKey { get; init; }

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, ModelJson.Options);

    public static StoredCa FromBytes(byte[] bytes) =>
        JsonSerializer.Deserialize<StoredCa>(bytes, ModelJson.Options) ?? throw new JsonException("empty CA record");
}
