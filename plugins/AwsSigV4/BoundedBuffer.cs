namespace AgentVault.Plugins.AwsSigV4;

/// <summary>A memory stream that refuses to grow past a bound (throws <see cref="InvalidDataException"/>).</summary>
internal sealed class BoundedBuffer : MemoryStream
{
    private readonly int _limit;

    public BoundedBuffer(int limit) => _limit = limit;

    public override void Write(byte[] buffer, int offset, int count)
    {
        Check(count);
        base.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check(buffer.Length);
        base.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Check(count);
        return base.WriteAsync(buffer, offset, count, cancellationToken);
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Check(buffer.Length);
        return base.WriteAsync(buffer, cancellationToken);
    }

    public override void WriteByte(byte value)
    {
        Check(1);
        base.WriteByte(value);
    }

    private void Check(int count)
    {
        if (Length + count > _limit)
        {
            throw new InvalidDataException("body exceeds the signing limit");
        }
    }
}
