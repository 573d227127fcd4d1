using AgentVault.Broker.Streams;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// The upstream's body decoded on the fly for redaction (see <see cref="ContentCodings.Decode"/>): it reads the decoder and
/// never the whole body at once, so memory stays flat; the decoded bytes then pass the response size limit like any body
/// (<see cref="ResponseBodyMeter"/>), which bounds a decompression bomb. Once the coded data ends, the upstream stream is read
/// to its end so HTTP trailers arrive; data after the end of the coded body is never passed on (an error when the decoder
/// has not already swallowed it). Disposing it disposes the upstream content.
/// </summary>
internal sealed class DecodedResponseBody : ReadOnlyStream
{
    private readonly Stream _decoder;
    private readonly Stream _source;
    private readonly HttpContent _original;
    private bool _ended;

    public DecodedResponseBody(Stream decoder, Stream source, HttpContent original)
    {
        _decoder = decoder;
        _source = source;
        _original = original;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_ended || buffer.Length == 0)
        {
            return 0;
        }

        var read = await _decoder.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read > 0)
        {
            return read;
        }

        _ended = true;
        var rest = new byte[1];
        if (await _source.ReadAsync(rest, cancellationToken).ConfigureAwait(false) > 0)
        {
            throw new InvalidDataException("The upstream sent data after the end of the compressed body.");
        }

        return 0;
    }

    /// <summary>Synchronous reads are not used by the forwarder.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder.Dispose();
            _source.Dispose();
            _original.Dispose();
        }

        base.Dispose(disposing);
    }
}
