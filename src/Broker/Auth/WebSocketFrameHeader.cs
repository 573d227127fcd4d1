using System.Buffers.Binary;

namespace AgentVault.Broker.Auth;

/// <summary>An RFC 6455 §5.2 frame header.</summary>
internal readonly record struct WebSocketFrameHeader(bool Fin, byte Rsv, byte Opcode, bool Masked, long PayloadLength, uint MaskKey, int HeaderLength)
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;

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
