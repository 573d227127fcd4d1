using System.Net;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// A request body sent in two parts: the first part, then a pause until <c>resume</c> completes, then the rest. While the
/// agent pauses, the broker is waiting in a read of the body, which is the moment an early upstream answer must not break.
/// </summary>
internal sealed class PausedUploadContent(int firstPart, int total, Func<CancellationToken, Task> resume) : HttpContent
{
    private const int Chunk = 64 * 1024;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new byte[Chunk];
        await WriteAsync(stream, buffer, firstPart, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        await resume(cancellationToken);
        await WriteAsync(stream, buffer, total - firstPart, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = total;
        return true;
    }

    private static async Task WriteAsync(Stream stream, byte[] buffer, int count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var size = Math.Min(count, buffer.Length);
            await stream.WriteAsync(buffer.AsMemory(0, size), cancellationToken);
            count -= size;
        }
    }
}
