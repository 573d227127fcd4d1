using System.Runtime.InteropServices;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// A write-only wrapper over the agent's response body that replaces secrets as the body streams through. Only the
/// bytes that could still turn into a match (a suffix that is a prefix of a pattern) are held back between writes, so
/// SSE events and chunks reach the agent as they arrive; <see cref="CompleteAsync"/> writes what is left. Until
/// <see cref="Activate"/> is called it passes everything through untouched.
/// </summary>
internal sealed class RedactingStream : Stream
{
    private readonly Stream _inner;
    private readonly List<byte> _output = [];
    private byte[] _carry = [];
    private Redactor? _redactor;

    public RedactingStream(Stream inner) => _inner = inner;

    /// <summary>True once a redactor is active.</summary>
    public bool IsActive => _redactor is not null;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Starts redacting with <paramref name="redactor"/> (call before the first body byte is written).</summary>
    public void Activate(Redactor redactor)
    {
        if (!redactor.IsEmpty)
        {
            _redactor = redactor;
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_redactor is null)
        {
            await _inner.WriteAsync(buffer, cancellationToken);
            return;
        }

        byte[] input;
        if (_carry.Length == 0)
        {
            input = buffer.ToArray();
        }
        else
        {
            input = new byte[_carry.Length + buffer.Length];
            _carry.CopyTo(input, 0);
            buffer.Span.CopyTo(input.AsSpan(_carry.Length));
        }

        var (consumed, _) = _redactor.Redact(input, _output, final: false);
        _carry = input[consumed..];
        await WriteOutputAsync(cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous writes are not used by the forwarder (Kestrel forbids synchronous IO).</summary>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Synchronous writes are not supported.");

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    /// <summary>Writes the held-back tail (no pattern can complete any more) and flushes.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_redactor is null)
        {
            return;
        }

        if (_carry.Length > 0)
        {
            _redactor.Redact(_carry, _output, final: true);
            _carry = [];
            await WriteOutputAsync(cancellationToken);
        }

        await _inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async ValueTask WriteOutputAsync(CancellationToken cancellationToken)
    {
        if (_output.Count == 0)
        {
            return;
        }

        var bytes = CollectionsMarshal.AsSpan(_output).ToArray();
        _output.Clear();
        await _inner.WriteAsync(bytes, cancellationToken);
    }
}
