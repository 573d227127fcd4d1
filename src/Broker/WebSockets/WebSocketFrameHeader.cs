using System.Buffers.Binary;

namespace AgentVault.Broker.WebSockets;

/// <summary>An RFC 6455 §5.2 frame header (shared by client→server substitution and server→client redaction).</summary>
internal readonly record struct WebSocketFrameHeader(bool Fin, byte Rsv, byte Opcode, bool Masked, long PayloadLength, uint MaskKey, int HeaderLength)
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    /// <summary>The longest header: 2 bytes, a 64-bit length and a mask key.</summary>
    public const int MaxHeaderLength = 14;

    /// <summary>Control frames carry at most 125 payload bytes (§5.5).</summary>
    public const int MaxControlPayload = 125;

    public bool IsControl => Opcode >= 0x8;

    /// <summary>Parses a header from the start of <paramref name="data"/>; false when more bytes are needed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out WebSocketFrameHeader header)
    {
        header = default;
        if (data.Length < 2)
        {
            return false;
        }

        var masked = (data[1] & 0x80) != 0;
        var len7 = data[1] & 0x7F;
        var offset = 2;
        long length = len7;
        if (len7 == 126)
        {
            if (data.Length < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            offset = 4;
        }
        else if (len7 == 127)
        {
            if (data.Length < 10)
            {
                return false;
            }

            // The most significant bit must be 0 (§5.2); a violating length is clamped and the frame passed through.
            length = (long)(BinaryPrimitives.ReadUInt64BigEndian(data[2..]) & 0x7FFF_FFFF_FFFF_FFFFUL);
            offset = 10;
        }

        uint mask = 0;
        if (masked)
        {
            if (data.Length < offset + 4)
            {
                return false;
            }

            mask = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
            offset += 4;
        }

        header = new WebSocketFrameHeader((data[0] & 0x80) != 0, (byte)((data[0] >> 4) & 0x7), (byte)(data[0] & 0x0F), masked, length, mask, offset);
        return true;
    }

    /// <summary>
    /// Writes the header of an unmasked frame (server→client frames are not masked) into <paramref name="destination"/>
    /// (at least <see cref="MaxHeaderLength"/> bytes); returns its length.
    /// </summary>
    public static int WriteUnmaskedHeader(Span<byte> destination, bool fin, byte rsv, byte opcode, long payloadLength)
    {
        destination[0] = (byte)((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0x0F));
        if (payloadLength < 126)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }

        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }

        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }

    /// <summary>Writes a masked frame (client→server frames must be masked) with the given payload.</summary>
    public static void WriteMaskedFrame(List<byte> output, bool fin, byte opcode, ReadOnlySpan<byte> payload, uint maskKey)
    {
        output.Add((byte)((fin ? 0x80 : 0) | opcode));
        if (payload.Length < 126)
        {
            output.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            output.Add(0x80 | 126);
            output.Add((byte)(payload.Length >> 8));
            output.Add((byte)payload.Length);
        }
        else
        {
            output.Add(0x80 | 127);
            Span<byte> len = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(len, (ulong)payload.Length);
            output.AddRange(len);
        }

        Span<byte> mask = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(mask, maskKey);
        output.AddRange(mask);
        for (var i = 0; i < payload.Length; i++)
        {
            output.Add((byte)(payload[i] ^ mask[i & 3]));
        }
    }
}
