using System.Buffers;
using System.IO.Pipelines;

namespace AgentVault.Broker.Proxy;

/// <summary>The decrypted side of a tunnel as the <see cref="IDuplexPipe"/> Kestrel's HTTP layer reads and writes.</summary>
internal sealed class StreamDuplexPipe : IDuplexPipe
{
    public StreamDuplexPipe(Stream stream, MemoryPool<byte>? pool)
    {
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(pool, bufferSize: 4096, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(pool, minimumBufferSize: 4096, leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }
}
