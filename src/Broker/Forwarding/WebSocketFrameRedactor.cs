using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using AgentVault.Broker.WebSockets;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// The synchronous core of <see cref="WebSocketRedactingStream"/>: parses server→agent RFC 6455 frames arriving in
/// arbitrary pieces and writes the frames the agent gets. Uncompressed text messages (and, in <c>strict</c>, binary
/// messages and ping/pong payloads) are redacted with the response's <see cref="Redactor"/>; close reasons always are.
/// <para>
/// Each data frame is collected (up to <see cref="MaxPieceBytes"/>) and re-emitted as one frame with its new length; the
/// bytes at its end that could still begin a secret are held back and emitted at the start of the message's next frame,
/// so a secret split across the frames of a fragmented message is caught without buffering the whole message. A frame
/// longer than the bound is re-emitted as several frames of the same message (RFC 6455 §5.4 lets an intermediary change
/// fragmentation), the held-back window carried across them: memory stays bounded and nothing leaks.
/// </para>
/// <para>
/// Frames that cannot be inspected — compressed or other extension frames (RSV bits), masked server frames, reserved
/// opcodes — pass byte for byte under <c>on</c>; under <c>strict</c> the agent gets a close frame (1008) and the
/// connection is ended (<see cref="Refused"/>). Not thread-safe: one writer (the upstream→agent copy) drives it.
/// </para>
/// </summary>
internal sealed class WebSocketFrameRedactor
{
    public const int MaxPieceBytes = 1024 * 1024;
    private const ushort PolicyViolation = 1008;
    private static readonly byte[] RefusalReason = "frame cannot be inspected (redact: strict)"u8.ToArray();

    private readonly Redactor _redactor;
    private readonly bool _strict;
    private readonly int _maxPieceBytes;
    private readonly byte[] _header = new byte[WebSocketFrameHeader.MaxHeaderLength];
    private readonly byte[] _control = new byte[WebSocketFrameHeader.MaxControlPayload];
    private readonly List<byte> _redacted = [];
    private byte[] _payload = [];
    private int _headerCount;
    private int _controlLength;
    private int _length;
    private int _pieceBytes;
    private int _piece;
    private bool _inFrame;
    private bool _collect;
    private long _remaining;
    private WebSocketFrameHeader _frame;
    private MessageAction _message;

    public WebSocketFrameRedactor(Redactor redactor, bool strict, int maxPieceBytes = MaxPieceBytes)
    {
        _redactor = redactor;
        _strict = strict;
        _maxPieceBytes = maxPieceBytes;
    }

    private enum MessageAction
    {
        None,
        Redact,
        Pass,
        Uninspectable,
    }

    /// <summary>True once an uninspectable frame arrived under <c>strict</c>: a close frame was written, nothing more will be.</summary>
    public bool Refused { get; private set; }

    /// <summary>Consumes <paramref name="input"/> and appends the frames for the agent to <paramref name="output"/>.</summary>
    public void Process(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        while (!Refused && !input.IsEmpty)
        {
            if (!_inFrame)
            {
                var take = Math.Min(input.Length, _header.Length - _headerCount);
                input[..take].CopyTo(_header.AsSpan(_headerCount));
                if (!WebSocketFrameHeader.TryParse(_header.AsSpan(0, _headerCount + take), out var header))
                {
                    _headerCount += take;
                    return;
                }

                input = input[(header.HeaderLength - _headerCount)..];
                _headerCount = 0;
                StartFrame(header, output);
                continue;
            }

            var n = (int)Math.Min(_remaining, input.Length);
            if (!_collect)
            {
                output.Write(input[..n]);
            }
            else if (_frame.IsControl)
            {
                input[..n].CopyTo(_control.AsSpan(_controlLength));
                _controlLength += n;
            }
            else
            {
                n = Math.Min(n, _maxPieceBytes - _pieceBytes);
                Append(input[..n]);
            }

            input = input[n..];
            _remaining -= n;
            if (_remaining == 0)
            {
                FinishFrame(output);
            }
            else if (_collect && !_frame.IsControl && _pieceBytes == _maxPieceBytes)
            {
                EmitPiece(output, lastOfFrame: false);
            }
        }
    }

    private void StartFrame(WebSocketFrameHeader header, IBufferWriter<byte> output)
    {
        _frame = header;
        _remaining = header.PayloadLength;
        _piece = 0;
        _pieceBytes = 0;
        _controlLength = 0;
        _inFrame = true;
        var action = Decide(header);
        if (action == MessageAction.Uninspectable && _strict)
        {
            Refuse(output);
            return;
        }

        _collect = action == MessageAction.Redact;
        if (!_collect)
        {
            output.Write(_header.AsSpan(0, header.HeaderLength));
        }

        if (_remaining == 0)
        {
            FinishFrame(output);
        }
    }

    private MessageAction Decide(WebSocketFrameHeader header)
    {
        var inspectable = !header.Masked && header.Rsv == 0;
        if (header.IsControl)
        {
            if (!inspectable || header.PayloadLength > WebSocketFrameHeader.MaxControlPayload || header.Opcode > WebSocketFrameHeader.Pong)
            {
                return MessageAction.Uninspectable;
            }

            return header.Opcode == WebSocketFrameHeader.Close || _strict ? MessageAction.Redact : MessageAction.Pass;
        }

        if (header.Opcode is WebSocketFrameHeader.Text or WebSocketFrameHeader.Binary)
        {
            // A new message: bytes held back from an unfinished one (a protocol violation) never join it.
            _length = 0;
            _message = !inspectable ? MessageAction.Uninspectable
                : header.Opcode == WebSocketFrameHeader.Text || _strict ? MessageAction.Redact : MessageAction.Pass;
            return _message;
        }

        // A reserved opcode, a continuation without a message, or a masked / flagged continuation.
        if (header.Opcode != WebSocketFrameHeader.Continuation || _message == MessageAction.None || !inspectable)
        {
            return MessageAction.Uninspectable;
        }

        return _message;
    }

    private void FinishFrame(IBufferWriter<byte> output)
    {
        if (_collect)
        {
            if (_frame.IsControl)
            {
                EmitControl(output);
            }
            else
            {
                EmitPiece(output, lastOfFrame: true);
            }
        }

        if (!_frame.IsControl && _frame.Fin)
        {
            _message = MessageAction.None;
        }

        _inFrame = false;
    }

    // Emits what was collected of the current data frame, holding back a tail that may still become a secret.
    private void EmitPiece(IBufferWriter<byte> output, bool lastOfFrame)
    {
        var fin = lastOfFrame && _frame.Fin;
        var data = _payload.AsSpan(0, _length);
        _redacted.Clear();
        var (consumed, _) = _redactor.Redact(data, _redacted, final: fin);
        var opcode = _piece == 0 ? _frame.Opcode : WebSocketFrameHeader.Continuation;
        WriteFrame(output, fin, _frame.Rsv, opcode, CollectionsMarshal.AsSpan(_redacted));
        data[consumed..].CopyTo(_payload);
        _length -= consumed;
        _pieceBytes = 0;
        _piece++;
    }

    // Close: status code kept, reason redacted (and cut at a UTF-8 boundary to fit 125 bytes); ping/pong (strict): payload redacted.
    private void EmitControl(IBufferWriter<byte> output)
    {
        var data = _control.AsSpan(0, _controlLength);
        var keep = _frame.Opcode == WebSocketFrameHeader.Close && data.Length >= 2 ? 2 : 0;
        _redacted.Clear();
        _redacted.AddRange(data[..keep]);
        _redactor.Redact(data[keep..], _redacted, final: true);
        var payload = CollectionsMarshal.AsSpan(_redacted);
        if (payload.Length > WebSocketFrameHeader.MaxControlPayload)
        {
            var cut = WebSocketFrameHeader.MaxControlPayload;
            while (cut > keep && (payload[cut] & 0xC0) == 0x80)
            {
                cut--;
            }

            payload = payload[..cut];
        }

        WriteFrame(output, fin: true, 0, _frame.Opcode, payload);
    }

    private void Refuse(IBufferWriter<byte> output)
    {
        Span<byte> payload = stackalloc byte[2 + RefusalReason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, PolicyViolation);
        RefusalReason.CopyTo(payload[2..]);
        WriteFrame(output, fin: true, 0, WebSocketFrameHeader.Close, payload);
        Refused = true;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var required = _length + bytes.Length;
        if (required > _payload.Length)
        {
            var grown = Math.Max(required, Math.Min(_maxPieceBytes + _redactor.MaxPatternLength, Math.Max(4096, _payload.Length * 2)));
            Array.Resize(ref _payload, grown);
        }

        bytes.CopyTo(_payload.AsSpan(_length));
        _length += bytes.Length;
        _pieceBytes += bytes.Length;
    }

    private static void WriteFrame(IBufferWriter<byte> output, bool fin, byte rsv, byte opcode, ReadOnlySpan<byte> payload)
    {
        var span = output.GetSpan(WebSocketFrameHeader.MaxHeaderLength + payload.Length);
        var headerLength = WebSocketFrameHeader.WriteUnmaskedHeader(span, fin, rsv, opcode, payload.Length);
        payload.CopyTo(span[headerLength..]);
        output.Advance(headerLength + payload.Length);
    }
}
