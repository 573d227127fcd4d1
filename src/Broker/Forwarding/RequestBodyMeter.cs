using System.Buffers;
using System.IO.Pipelines;
using AgentVault.Broker.Streams;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// The agent's request body as the forwarder reads it: counts the bytes read from the agent (for the request log's
/// <c>bytes_in</c>), whatever the framing: Content-Length, chunked or HTTP/2 data frames. Errors of the server's body reader
/// (e.g. Kestrel's 413 when the body exceeds the limit) pass through unchanged. One reader at a time; no synchronisation.
/// </summary>
/// <remarks>
/// A cancelled read must leave the server's body reader usable. When the upstream answers before it has read the whole body,
/// the forwarder cancels its pending read of the agent's body; Kestrel's HTTP/1.1 body reader does not recover from a read whose
/// token fires (it stays "reading", so its automatic drain of the rest of the body fails and it closes the connection while the
/// agent is still uploading: the agent sees a broken pipe instead of the upstream's answer). So the token is turned into
/// <see cref="PipeReader.CancelPendingRead"/>, which Kestrel completes as a cancelled read result that is handed back with
/// <see cref="PipeReader.AdvanceTo(SequencePosition)"/>; Kestrel can then drain the rest of the body and keep the connection.
/// </remarks>
internal sealed class RequestBodyMeter : ReadOnlyStream
{
    private readonly PipeReader _inner;

    public RequestBodyMeter(PipeReader inner) => _inner = inner;

    /// <summary>Body bytes read from the agent so far.</summary>
    public long Count { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            ReadResult result;
            using (cancellationToken.UnsafeRegister(static reader => ((PipeReader)reader!).CancelPendingRead(), _inner))
            {
                result = await _inner.ReadAsync(CancellationToken.None).ConfigureAwait(false);
            }

            var data = result.Buffer;
            if (result.IsCanceled)
            {
                _inner.AdvanceTo(data.Start);
                throw new OperationCanceledException("The read of the request body was cancelled.", cancellationToken);
            }

            // A zero-byte read only waits for data; the data stays in the reader.
            var length = (int)Math.Min(data.Length, buffer.Length);
            data.Slice(0, length).CopyTo(buffer.Span);
            _inner.AdvanceTo(data.GetPosition(length));
            Count += length;
            if (length > 0 || result.IsCompleted || buffer.IsEmpty)
            {
                return length;
            }
        }
    }
}
