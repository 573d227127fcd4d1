using AgentVault.Broker.Streams;

namespace AgentVault.Broker.Auth;

/// <summary>A read-only stream that yields already-read bytes, then the rest of the original stream.</summary>
internal sealed class PrefixedReadStream : ReadOnlyStream
{
    private readonly Stream _rest;
    private ReadOnlyMemory<byte> _prefix;

    public PrefixedReadStream(ReadOnlyMemory<byte> prefix, Stream rest)
    {
        _prefix = prefix;
        _rest = rest;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.IsEmpty)
        {
            return _rest.Read(buffer);
        }

        var n = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..n].CopyTo(buffer);
        _prefix = _prefix[n..];
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_prefix.IsEmpty)
        {
            return _rest.ReadAsync(buffer, cancellationToken);
        }

        var n = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..n].CopyTo(buffer.Span);
        _prefix = _prefix[n..];
        return ValueTask.FromResult(n);
    }
}
