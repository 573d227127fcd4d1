namespace AgentVault.Broker.Forwarding;

/// <summary>
/// A read-only wrapper over the agent's request body that counts the bytes read from the agent (for the request log's
/// <c>bytes_in</c>), whatever the framing: Content-Length, chunked or HTTP/2 data frames. Errors of the inner stream
/// (e.g. Kestrel's 413 when the body exceeds the limit) pass through unchanged. One reader at a time; no synchronisation.
/// </summary>
internal sealed class RequestBodyMeter : Stream
{
    private readonly Stream _inner;

    public RequestBodyMeter(Stream inner) => _inner = inner;

    /// <summary>Body bytes read from the agent so far.</summary>
    public long Count { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Count += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous reads are not used by the forwarder (Kestrel forbids synchronous IO).</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous reads are not supported.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
