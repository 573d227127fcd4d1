using System.Buffers.Binary;
using System.Text;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// Raw HTTP/2 frames (RFC 9113) for clients no library would let us write: resets right after requests, floods of SETTINGS,
/// header blocks continued forever. Header blocks use HPACK literals without indexing (RFC 7541 §6.2.2), no Huffman.
/// </summary>
internal static class Http2Frames
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8, Continuation = 0x9;
    public const byte EndStream = 0x1, EndHeaders = 0x4, Ack = 0x1;
    public const int Cancel = 0x8;

    public static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static byte[] Frame(byte type, byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream & int.MaxValue);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    public static byte[] EmptySettings() => Frame(Settings, 0, 0, []);

    public static byte[] Reset(int stream) => Frame(RstStream, 0, stream, [0, 0, 0, Cancel]);

    /// <summary>A request's header block: the pseudo-headers, then <paramref name="extra"/>.</summary>
    public static byte[] RequestBlock(string method, string authority, string path, params (string Name, string Value)[] extra)
    {
        var block = new List<byte>();
        foreach (var (name, value) in new[] { (":method", method), (":scheme", "https"), (":authority", authority), (":path", path) }.Concat(extra))
        {
            block.Add(0x00);
            AppendString(block, name);
            AppendString(block, value);
        }

        return [.. block];
    }

    /// <summary>One header field (literal, not indexed) as HPACK bytes, for padding a header block to a size.</summary>
    public static byte[] Field(string name, string value)
    {
        var field = new List<byte> { 0x00 };
        AppendString(field, name);
        AppendString(field, value);
        return [.. field];
    }

    private static void AppendString(List<byte> block, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        AppendInteger(block, bytes.Length);
        block.AddRange(bytes);
    }

    // RFC 7541 §5.1 with a 7-bit prefix and the Huffman bit clear.
    private static void AppendInteger(List<byte> block, int value)
    {
        if (value < 127)
        {
            block.Add((byte)value);
            return;
        }

        block.Add(127);
        value -= 127;
        while (value >= 128)
        {
            block.Add((byte)((value & 0x7f) | 0x80));
            value >>= 7;
        }

        block.Add((byte)value);
    }
}
