using System.Buffers;
using AgentVault.Broker.Forwarding;
using AgentVault.Broker.WebSockets;

namespace AgentVault.Fuzz;

/// <summary>
/// RFC 6455 frames from an upstream: the frame-header parser and the redactor that re-frames what the agent gets. The first
/// byte picks <c>on</c> or <c>strict</c> and a piece size, the rest is the byte stream, fed in pieces as a socket would.
/// </summary>
internal static class WebSocketTargets
{
    private static readonly string[] Secrets = ["sk-fuzz-secret-0123456789", "hunter2hunter2"];

    public static void Frames(byte[] data)
    {
        if (data.Length == 0)
        {
            return;
        }

        var stream = data.AsSpan(1);
        if (WebSocketFrameHeader.TryParse(stream, out var header))
        {
            FuzzInvariantException.Check(header.HeaderLength is >= 2 and <= WebSocketFrameHeader.MaxHeaderLength, "header length out of range");
            FuzzInvariantException.Check(header.PayloadLength >= 0, "negative payload length");
        }

        var strict = (data[0] & 1) == 1;
        var piece = 1 + (data[0] >> 1);
        var redactor = new WebSocketFrameRedactor(new Redactor(Secrets), strict, maxPieceBytes: 64 + (data[0] * 4));
        var output = new ArrayBufferWriter<byte>();
        while (!stream.IsEmpty)
        {
            var take = Math.Min(piece, stream.Length);
            redactor.Process(stream[..take], output);
            stream = stream[take..];
        }
    }
}
