namespace AgentVault.Broker.Forwarding;

/// <summary>
/// A write-only wrapper over the agent's response body that counts the bytes the agent is sent (for the request log) and
/// enforces the response size limit: a write that would take the body past the limit throws
/// <see cref="ResponseTooLargeException"/> before any of it is written, so the forwarder aborts the response (HTTP/1.1:
/// connection closed without the last chunk; HTTP/2: stream reset) and the agent cannot mistake it for a complete body.
/// One request writes at a time, so the counter needs no synchronisation.
/// </summary>
internal sealed class ResponseBodyMeter : Stream
{
    private readonly Stream _inner;

    public ResponseBodyMeter(Stream inner, long limit)
    {
        _inner = inner;
        Limit = limit;
    }

    public long Limit { get; }

    /// <summary>Body bytes handed to the agent's connection so far.</summary>
    public long Count { get; private set; }

    /// <summary>True once a write was refused because of <see cref="Limit"/>.</summary>
    public bool LimitExceeded { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length > Limit - Count)
        {
            LimitExceeded = true;
            throw new ResponseTooLargeException(Limit);
        }

        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous writes are not used by the forwarder (Kestrel forbids synchronous IO).</summary>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous writes are not supported.");

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
