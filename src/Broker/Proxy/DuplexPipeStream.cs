using System.IO.Pipelines;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// A <see cref="Stream"/> over a connection's <see cref="IDuplexPipe"/>, so <see cref="System.Net.Security.SslStream"/> can run
/// on it. It stamps when a write to the client starts and clears the stamp when the write is done, so that
/// <see cref="TunnelWriteWatchdog"/> can close a tunnel whose client stopped reading.
/// </summary>
internal sealed class DuplexPipeStream : Stream
{
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly TimeProvider _time;
    private long _writeStartedAt;

    public DuplexPipeStream(IDuplexPipe pipe, TimeProvider time)
    {
        _input = pipe.Input.AsStream(leaveOpen: true);
        _output = pipe.Output.AsStream(leaveOpen: true);
        _time = time;
    }

    /// <summary>The <see cref="TimeProvider"/> timestamp at which the write in progress started; 0 when no write is waiting.</summary>
    public long WriteStartedAt => Volatile.Read(ref _writeStartedAt);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _input.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Volatile.Write(ref _writeStartedAt, _time.GetTimestamp());
        var write = _output.WriteAsync(buffer, cancellationToken);
        if (write.IsCompletedSuccessfully)
        {
            Volatile.Write(ref _writeStartedAt, 0);
            return default;
        }

        return AwaitWriteAsync(write);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    public override void Flush() => _output.Flush();

    private async ValueTask AwaitWriteAsync(ValueTask write)
    {
        try
        {
            await write.ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writeStartedAt, 0);
        }
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
