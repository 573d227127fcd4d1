using System.Buffers.Binary;
using System.Text;

namespace AgentVault.Broker.Tests.Auth;

/// <summary>Builds and parses raw RFC 6455 frames for the stream tests.</summary>
internal static class WebSocketFrames
{
    public sealed record Frame(bool Fin, int Rsv, int Opcode, bool Masked, byte[] Payload)
    {
        public string Text => Encoding.UTF8.GetString(Payload);
    }

    public static byte[] Build(bool fin, int opcode, byte[] payload, bool masked = true, int rsv = 0, uint mask = 0x12345678)
    {
        var output = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (payload.Length < 126)
        {
            output.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            output.Add((byte)(maskBit | 126));
            output.Add((byte)(payload.Length >> 8));
            output.Add((byte)payload.Length);
        }
        else
        {
            output.Add((byte)(maskBit | 127));
            var len = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(len, (ulong)payload.Length);
            output.AddRange(len);
        }

        var key = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(key, mask);
        if (masked)
        {
            output.AddRange(key);
        }

        for (var i = 0; i < payload.Length; i++)
        {
            output.Add(masked ? (byte)(payload[i] ^ key[i & 3]) : payload[i]);
        }

        return [.. output];
    }

    public static byte[] Text(string text, bool fin = true, int opcode = 1) => Build(fin, opcode, Encoding.UTF8.GetBytes(text));

    public static List<Frame> Parse(byte[] data)
    {
        var frames = new List<Frame>();
        var i = 0;
        while (i < data.Length)
        {
            var fin = (data[i] & 0x80) != 0;
            var rsv = (data[i] >> 4) & 7;
            var opcode = data[i] & 0xF;
            var masked = (data[i + 1] & 0x80) != 0;
            long len = data[i + 1] & 0x7F;
            i += 2;
            if (len == 126)
            {
                len = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(i));
                i += 2;
            }
            else if (len == 127)
            {
                len = (long)BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(i));
                i += 8;
            }

            var key = masked ? data.AsSpan(i, 4).ToArray() : [0, 0, 0, 0];
            i += masked ? 4 : 0;
            var payload = new byte[len];
            for (var j = 0; j < len; j++)
            {
                payload[j] = (byte)(data[i + j] ^ key[j & 3]);
            }

            i += (int)len;
            frames.Add(new Frame(fin, rsv, opcode, masked, payload));
        }

        return frames;
    }
}
