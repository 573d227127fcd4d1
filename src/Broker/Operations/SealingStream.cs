using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AgentVault.Broker.Operations;

/// <summary>A write-only stream that encrypts what is written into <see cref="SealedChunks"/>; <see cref="Complete"/> writes the final chunk.</summary>
internal sealed class SealingStream(Stream inner, byte[] key, byte[] headerHash) : Stream
{
    private readonly AesGcm _aes = new(key, SealedChunks.TagSize);
    private readonly byte[] _buffer = new byte[SealedChunks.ChunkSize];
    private int _filled;
    private long _index;
    private bool _completed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (buffer.Length > 0)
        {
            if (_filled == _buffer.Length)
            {
                Emit(final: false);
            }

            var take = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
        }
    }

    /// <summary>Writes what is buffered as the final chunk; nothing may be written afterwards.</summary>
    public void Complete()
    {
        if (!_completed)
        {
            Emit(final: true);
            _completed = true;
            inner.Flush();
        }
    }

    public override void Flush()
    {
        // Chunks are emitted whole; the final one by Complete.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_buffer);
        }

        base.Dispose(disposing);
    }

    private void Emit(bool final)
    {
        var frame = new byte[5 + _filled + SealedChunks.TagSize];
        BinaryPrimitives.WriteInt32BigEndian(frame, _filled);
        frame[4] = final ? (byte)1 : (byte)0;
        _aes.Encrypt(SealedChunks.Nonce(_index), _buffer.AsSpan(0, _filled), frame.AsSpan(5, _filled), frame.AsSpan(5 + _filled), SealedChunks.AssociatedData(headerHash, _index, final));
        inner.Write(frame);
        _index++;
        _filled = 0;
    }
}
