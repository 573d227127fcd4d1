using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AgentVault.Broker.Operations;

/// <summary>A read-only stream over <see cref="SealedChunks"/> that yields only authenticated bytes and fails on any change, truncation or trailing data.</summary>
internal sealed class OpeningStream(Stream inner, byte[] key, byte[] headerHash) : Stream
{
    private const string Tampered = "the backup file is damaged or was modified (it does not authenticate)";
    private readonly AesGcm _aes = new(key, SealedChunks.TagSize);
    private byte[] _plain = [];
    private int _offset;
    private long _index;
    private bool _final;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_offset == _plain.Length)
        {
            if (_final)
            {
                return 0;
            }

            NextChunk();
        }

        var take = Math.Min(buffer.Length, _plain.Length - _offset);
        _plain.AsSpan(_offset, take).CopyTo(buffer);
        _offset += take;
        return take;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
        }

        base.Dispose(disposing);
    }

    private void NextChunk()
    {
        var head = new byte[5];
        if (inner.ReadAtLeast(head, 5, throwOnEndOfStream: false) < 5)
        {
            throw new OperationsException("the backup file is truncated or was modified (its last chunk is missing)");
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(head);
        if (length is < 0 or > SealedChunks.ChunkSize || head[4] > 1)
        {
            throw new OperationsException(Tampered);
        }

        var final = head[4] == 1;
        var body = new byte[length + SealedChunks.TagSize];
        if (inner.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) < body.Length)
        {
            throw new OperationsException("the backup file is truncated or was modified");
        }

        var plain = new byte[length];
        try
        {
            _aes.Decrypt(SealedChunks.Nonce(_index), body.AsSpan(0, length), body.AsSpan(length), plain, SealedChunks.AssociatedData(headerHash, _index, final));
        }
        catch (CryptographicException)
        {
            throw new OperationsException(Tampered);
        }

        if (final && inner.ReadByte() >= 0)
        {
            throw new OperationsException("the backup file has data after its end (it was modified)");
        }

        _index++;
        _final = final;
        _plain = plain;
        _offset = 0;
    }
}
