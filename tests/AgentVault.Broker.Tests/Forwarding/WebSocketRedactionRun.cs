using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Tests.Auth;

namespace AgentVault.Broker.Tests.Forwarding;

/// <summary>
/// Feeds server→agent bytes through a <see cref="WebSocketRedactingStream"/> in a chosen pattern of writes and parses
/// what the agent would get.
/// </summary>
internal static class WebSocketRedactionRun
{
    /// <summary>How the upstream's bytes are cut into writes: all at once, one byte per write, random cuts (fixed seeds).</summary>
    public static readonly string[] Splits = ["whole", "bytes", "random-1", "random-2", "random-3"];

    public sealed record Result(byte[] Output, List<WebSocketFrames.Frame> Frames, IOException? Error, int Count)
    {
        /// <summary>Data messages: payloads of frames joined until FIN, with the opcode of the first frame.</summary>
        public List<(int Opcode, byte[] Payload)> Messages()
        {
            var messages = new List<(int, byte[])>();
            var current = new List<byte>();
            var opcode = -1;
            foreach (var frame in Frames.Where(f => f.Opcode < 8))
            {
                opcode = opcode < 0 ? frame.Opcode : opcode;
                current.AddRange(frame.Payload);
                if (frame.Fin)
                {
                    messages.Add((opcode, [.. current]));
                    current.Clear();
                    opcode = -1;
                }
            }

            return messages;
        }
    }

    public static IEnumerable<int> Cuts(string split, int length)
    {
        switch (split)
        {
            case "whole":
                yield return length;
                yield break;
            case "bytes":
                for (var i = 0; i < length; i++)
                {
                    yield return 1;
                }

                yield break;
            default:
                var random = new Random(int.Parse(split["random-".Length..], System.Globalization.CultureInfo.InvariantCulture));
                for (var left = length; left > 0;)
                {
                    var n = Math.Min(left, random.Next(1, 40));
                    left -= n;
                    yield return n;
                }

                yield break;
        }
    }

    public static async Task<Result> RunAsync(byte[] input, string split, bool strict, string[] secrets, int maxPiece = WebSocketFrameRedactor.MaxPieceBytes)
    {
        var redactor = new Redactor(secrets);
        var sink = new MemoryStream();
        await using var stream = new WebSocketRedactingStream(sink, new WebSocketFrameRedactor(redactor, strict, maxPiece));
        IOException? error = null;
        var offset = 0;
        try
        {
            foreach (var n in Cuts(split, input.Length))
            {
                await stream.WriteAsync(input.AsMemory(offset, n));
                offset += n;
            }
        }
        catch (IOException ex)
        {
            error = ex;
        }

        var output = sink.ToArray();
        return new Result(output, WebSocketFrames.Parse(output), error, redactor.Count);
    }
}
