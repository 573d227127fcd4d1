using System.Buffers.Binary;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>Reads raw HTTP/2 frames from the broker until it goes away; what a hostile client sees of the broker's answer.</summary>
internal sealed class Http2FrameReader
{
    private readonly Stream _stream;

    public Http2FrameReader(Stream stream) => _stream = stream;

    /// <summary>The error code of the GOAWAY the broker sent, if it sent one.</summary>
    public int? GoAwayError { get; private set; }

    public int HeadersReceived { get; private set; }

    public int ResetsReceived { get; private set; }

    public int FramesReceived { get; private set; }

    public long DataBytesReceived { get; private set; }

    /// <summary>Reads until the broker closes the connection (true) or <paramref name="deadline"/> passes (false).</summary>
    public Task<bool> ReadUntilClosedAsync(TimeSpan deadline) => ReadUntilAsync(_ => false, deadline);

    /// <summary>Reads until <paramref name="done"/> holds after a frame or the broker closes (true), or <paramref name="deadline"/> passes (false).</summary>
    public async Task<bool> ReadUntilAsync(Func<Http2FrameReader, bool> done, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var header = new byte[9];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(header, timeout.Token);
                var length = (header[0] << 16) | (header[1] << 8) | header[2];
                var payload = new byte[length];
                await _stream.ReadExactlyAsync(payload, timeout.Token);
                FramesReceived++;
                switch (header[3])
                {
                    case Http2Frames.Headers:
                        HeadersReceived++;
                        break;
                    case Http2Frames.RstStream:
                        ResetsReceived++;
                        break;
                    case Http2Frames.GoAway when length >= 8:
                        GoAwayError = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(4));
                        break;
                    case Http2Frames.Data:
                        DataBytesReceived += length;
                        break;
                }

                if (done(this))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ObjectDisposedException)
        {
            return true;
        }
    }

    public override string ToString() =>
        $"{FramesReceived} frames ({HeadersReceived} HEADERS, {DataBytesReceived} bytes of DATA, {ResetsReceived} RST_STREAM), GOAWAY {(GoAwayError is { } code ? "0x" + code.ToString("x", System.Globalization.CultureInfo.InvariantCulture) : "none")}";
}
