using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentVault.Broker.Operations;

/// <summary>
/// The clear-text start of a backup file: magic, length, then this record as JSON. It carries what a restore needs before it
/// can decrypt anything (the wrapped data key, itself openable only with the master password or key file, and the salt of the
/// file key) and nothing secret. Its bytes are hashed into the associated data of every encrypted chunk, so changing it breaks them.
/// </summary>
internal sealed record BackupHeader
{
    public const string FormatName = "agent-vault-backup";
    private const int MaxLength = 64 * 1024;
    private static readonly byte[] Magic = "AVBACKUP"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = 1;

    public required DateTimeOffset CreatedAt { get; init; }

    public required int SchemaVersion { get; init; }

    /// <summary><c>sqlite</c> or <c>postgres</c>: where the data came from (it restores into either).</summary>
    public required string Source { get; init; }

    /// <summary>Salt of the file key (HKDF-SHA256 of the data key), fresh for every backup.</summary>
    public required byte[] Salt { get; init; }

    /// <summary>The source's wrapped data key record, as stored in its <c>blobs</c> table.</summary>
    public required byte[] DataKey { get; init; }

    public async Task<byte[]> WriteAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var body = JsonSerializer.SerializeToUtf8Bytes(this, Json);
        var all = new byte[Magic.Length + 4 + body.Length];
        Magic.CopyTo(all, 0);
        BinaryPrimitives.WriteInt32BigEndian(all.AsSpan(Magic.Length), body.Length);
        body.CopyTo(all, Magic.Length + 4);
        await stream.WriteAsync(all, cancellationToken);
        return SHA256.HashData(all);
    }

    /// <summary>Reads the header; returns it with the SHA-256 of its bytes (for the chunks' associated data).</summary>
    public static async Task<(BackupHeader Header, byte[] Hash)> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var start = new byte[Magic.Length + 4];
        if (await stream.ReadAtLeastAsync(start, start.Length, throwOnEndOfStream: false, cancellationToken) < start.Length || !start.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new OperationsException("this is not an agent-vault backup file");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(start.AsSpan(Magic.Length));
        if (length is <= 0 or > MaxLength)
        {
            throw new OperationsException("the backup file's header is damaged");
        }

        var body = new byte[length];
        if (await stream.ReadAtLeastAsync(body, length, throwOnEndOfStream: false, cancellationToken) < length)
        {
            throw new OperationsException("the backup file is truncated");
        }

        BackupHeader? header;
        try
        {
            header = JsonSerializer.Deserialize<BackupHeader>(body, Json);
        }
        catch (JsonException)
        {
            throw new OperationsException("the backup file's header is damaged or was modified");
        }

        if (header is null || header.Format != FormatName || header.Salt is not { Length: 32 } || header.DataKey is not { Length: > 0 })
        {
            throw new OperationsException("the backup file's header is damaged or was modified");
        }

        if (header.Version != 1)
        {
            throw new OperationsException($"the backup file has format version {header.Version}, which this agent-vault cannot read (use a newer agent-vault)");
        }

        return (header, SHA256.HashData([.. start, .. body]));
    }

    /// <summary>The key the payload is encrypted with: HKDF-SHA256 of the data key with this file's salt (RFC 5869).</summary>
    public byte[] FileKey(byte[] dataKey) => HKDF.DeriveKey(HashAlgorithmName.SHA256, dataKey, 32, Salt, Encoding.UTF8.GetBytes("agent-vault/backup/v1"));
}
