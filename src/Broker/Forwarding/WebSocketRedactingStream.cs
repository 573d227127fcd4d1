using System.Buffers;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Wraps the agent side of an upgraded WebSocket connection for response redaction (egress policy). Writes — the
/// server→agent direction — go through a <see cref="WebSocketFrameRedactor"/>; reads pass through untouched, so it
/// composes with <c>WebSocketSubstitutingStream</c> (which rewrites reads and passes writes): the redacting stream wraps
/// the substituting one and each direction is handled by exactly one of them. Each write is parsed into one reusable
/// output buffer and handed to the inner stream in one write; no lock is needed because the forwarder copies each
/// direction with one task.
/// </summary>
internal sealed class WebSocketRedactingStream : Stream
{
    private readonly Stream _inner;
    private readonly WebSocketFrameRedactor _frames;
    private readonly ArrayBufferWriter<byte> _output = new();

    public WebSocketRedactingStream(Stream inner, WebSocketFrameRedactor frames)
    {
        _inner = inner;
        _frames = frames;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Kestrel's upgraded streams are asynchronous only; so is this one.</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous reads are not supported.");

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_frames.Refused)
        {
            throw Refusal();
        }

        _frames.Process(buffer.Span, _output);
        try
        {
            if (_output.WrittenCount > 0)
            {
                await _inner.WriteAsync(_output.WrittenMemory, cancellationToken);
            }
        }
        finally
        {
            _output.ResetWrittenCount();
        }

        if (_frames.Refused)
        {
            await _inner.FlushAsync(cancellationToken);
            throw Refusal();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous writes are not used by the forwarder (Kestrel forbids synchronous IO).</summary>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous writes are not supported.");

    public override void Flush() => _inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static IOException Refusal() =>
        new("The upstream sent a WebSocket frame that cannot be inspected (compressed, masked or unknown) and the service is 'redact: strict': the connection was closed.");
}
