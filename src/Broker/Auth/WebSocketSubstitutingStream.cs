using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using AgentVault.Broker.WebSockets;

namespace AgentVault.Broker.Auth;

/// <summary>
/// Wraps the agent side of an upgraded WebSocket connection. Reads (client→server frames, RFC 6455 §5) are parsed; the
/// payload of uncompressed text messages is unmasked, placeholders are replaced, and the message is re-framed and re-masked
/// with a fresh key. A fragmented text message is collected up to <see cref="MaxMessageBytes"/> and sent as one frame
/// (§5.4 allows an intermediary to change fragmentation when no extension is in use); beyond that it is forwarded in
/// pieces (a placeholder straddling a piece boundary is then not replaced). Control frames, binary messages, compressed
/// (RSV1) and unmasked frames pass through byte for byte. Writes (server→client) pass through.
/// </summary>
internal sealed class WebSocketSubstitutingStream : UpgradedStreamWrapper
{
    public const int MaxMessageBytes = 1024 * 1024;

    private readonly ByteReplacer _replacer;
    private readonly int _maxMessageBytes;
    private readonly byte[] _in = new byte[16 * 1024];
    private readonly MemoryStream _message = new();
    private readonly List<byte> _out = [];
    private int _inStart;
    private int _inEnd;
    private int _outStart;
    private bool _eof;
    private Mode _mode;
    private MessageMode _messageMode;
    private bool _emittedPart;
    private WebSocketFrameHeader _frame;
    private long _remaining;
    private long _payloadOffset;

    public WebSocketSubstitutingStream(Stream inner, ByteReplacer replacer, int maxMessageBytes = MaxMessageBytes)
        : base(inner)
    {
        _replacer = replacer;
        _maxMessageBytes = maxMessageBytes;
    }

    private enum Mode
    {
        Header,
        Raw,
        Collect,
    }

    private enum MessageMode
    {
        None,
        Text,
        Raw,
    }

    public override bool CanRead => true;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_outStart < _out.Count)
            {
                var n = Math.Min(buffer.Length, _out.Count - _outStart);
                CollectionsMarshal.AsSpan(_out).Slice(_outStart, n).CopyTo(buffer.Span);

                _outStart += n;
                if (_outStart == _out.Count)
                {
                    _out.Clear();
                    _outStart = 0;
                }

                return n;
            }

            Process();
            if (_out.Count > 0)
            {
                continue;
            }

            if (_eof)
            {
                return 0;
            }

            await FillAsync(cancellationToken);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _message.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_inStart > 0)
        {
            Buffer.BlockCopy(_in, _inStart, _in, 0, _inEnd - _inStart);
            _inEnd -= _inStart;
            _inStart = 0;
        }

        var read = await Inner.ReadAsync(_in.AsMemory(_inEnd), cancellationToken);
        if (read == 0)
        {
            // The agent closed: pass on whatever partial frame bytes are left, as they are.
            _eof = true;
            _out.AddRange(_in.AsSpan(_inStart, _inEnd - _inStart));
            _inStart = _inEnd = 0;
            return;
        }

        _inEnd += read;
    }

    private void Process()
    {
        while (true)
        {
            var available = _in.AsSpan(_inStart, _inEnd - _inStart);
            switch (_mode)
            {
                case Mode.Header:
                    if (!WebSocketFrameHeader.TryParse(available, out var header))
                    {
                        return;
                    }

                    StartFrame(header, available[..header.HeaderLength]);
                    _inStart += header.HeaderLength;
                    break;
                case Mode.Raw:
                case Mode.Collect:
                    var n = (int)Math.Min(_remaining, available.Length);
                    if (_mode == Mode.Raw)
                    {
                        _out.AddRange(available[..n]);
                    }
                    else
                    {
                        Unmask(available[..n]);
                    }

                    _inStart += n;
                    _remaining -= n;
                    if (_remaining > 0)
                    {
                        return;
                    }

                    break;
            }

            if (_mode != Mode.Header && _remaining == 0)
            {
                EndFrame();
            }
        }
    }

    private void StartFrame(WebSocketFrameHeader header, ReadOnlySpan<byte> headerBytes)
    {
        _frame = header;
        _remaining = header.PayloadLength;
        _payloadOffset = 0;
        if (ShouldCollect(header))
        {
            _mode = Mode.Collect;
            return;
        }

        _out.AddRange(headerBytes);
        _mode = Mode.Raw;
        if (!header.IsControl && _messageMode == MessageMode.Text)
        {
            _emittedPart = true;
        }
    }

    private bool ShouldCollect(WebSocketFrameHeader header)
    {
        if (header.IsControl)
        {
            return false;
        }

        if (header.Opcode is WebSocketFrameHeader.Text or WebSocketFrameHeader.Binary)
        {
            _messageMode = header.Opcode == WebSocketFrameHeader.Text && header.Rsv == 0 && header.Masked && !_replacer.IsEmpty
                ? MessageMode.Text
                : MessageMode.Raw;
            _emittedPart = false;
            _message.SetLength(0);
        }
        else if (header.Opcode != WebSocketFrameHeader.Continuation)
        {
            return false;
        }

        if (_messageMode != MessageMode.Text)
        {
            return false;
        }

        if (header.Rsv != 0 || !header.Masked || _message.Length + header.PayloadLength > _maxMessageBytes)
        {
            FlushPartial();
            return false;
        }

        return true;
    }

    private void EndFrame()
    {
        if (_mode == Mode.Collect && _frame.Fin)
        {
            EmitMessage(fin: true);
        }

        if (!_frame.IsControl && _frame.Fin)
        {
            _messageMode = MessageMode.None;
            _emittedPart = false;
        }

        _mode = Mode.Header;
    }

    private void FlushPartial()
    {
        if (_message.Length > 0)
        {
            EmitMessage(fin: false);
        }
    }

    private void EmitMessage(bool fin)
    {
        var payload = _message.GetBuffer().AsSpan(0, (int)_message.Length);
        var replaced = _replacer.Replace(payload);
        var opcode = _emittedPart ? WebSocketFrameHeader.Continuation : WebSocketFrameHeader.Text;
        WebSocketFrameHeader.WriteMaskedFrame(_out, fin, opcode, replaced ?? payload, NewMaskKey());
        _emittedPart = true;
        _message.SetLength(0);
    }

    private void Unmask(ReadOnlySpan<byte> masked)
    {
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(key, _frame.MaskKey);
        for (var i = 0; i < masked.Length; i++)
        {
            _message.WriteByte((byte)(masked[i] ^ key[(int)((_payloadOffset + i) & 3)]));
        }

        _payloadOffset += masked.Length;
    }

    private static uint NewMaskKey()
    {
        Span<byte> key = stackalloc byte[4];
        RandomNumberGenerator.Fill(key);
        return BinaryPrimitives.ReadUInt32BigEndian(key);
    }
}
