using System.Buffers.Binary;
using System.Text;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Tests.Auth;
using static AgentVault.Broker.Tests.Forwarding.WebSocketRedactionRun;

namespace AgentVault.Broker.Tests.Forwarding;

/// <summary>Server→agent WebSocket frames through <c>WebSocketRedactingStream</c>, cut into writes every which way.</summary>
public sealed class WebSocketRedactingStreamTests
{
    private const string Secret = "sk_live_ws\"Sécret/9+z";
    private static readonly string[] Secrets = [Secret];
    private static readonly string Base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret));

    public static TheoryData<string> AllSplits => [.. Splits];

    public static TheoryData<string, string> TextCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var split in Splits)
        {
            data.Add(split, "plain");
            data.Add(split, "base64");
            data.Add(split, "utf8");
            data.Add(split, "16-bit");
            data.Add(split, "64-bit");
        }

        return data;
    }

    private static byte[] Server(bool fin, int opcode, string text, int rsv = 0) => WebSocketFrames.Build(fin, opcode, Encoding.UTF8.GetBytes(text), masked: false, rsv: rsv);

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static string Text(byte[] payload) => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload);

    [Theory]
    [MemberData(nameof(TextCases))]
    public async Task TextFrame_SecretReplacedAndLengthRewritten(string split, string form)
    {
        var (message, expected) = form switch
        {
            "plain" => ($"{{\"echo\":\"Bearer {Secret}\"}}", "{\"echo\":\"Bearer [REDACTED]\"}"),
            "base64" => ($"auth={Base64};", "auth=[REDACTED];"),
            "utf8" => ($"ü€{Secret}😀ß", "ü€[REDACTED]😀ß"),
            "16-bit" => (new string('a', 300) + Secret + new string('é', 200), new string('a', 300) + "[REDACTED]" + new string('é', 200)),
            _ => (new string('x', 70_000) + Secret + "€", new string('x', 70_000) + "[REDACTED]€"),
        };

        var result = await RunAsync(Concat(Server(true, 1, message), Server(true, 1, "after")), split, strict: false, Secrets);

        Assert.Null(result.Error);
        Assert.Collection(
            result.Frames,
            f => Assert.Equal((true, 1, false, expected), (f.Fin, f.Opcode, f.Masked, Text(f.Payload))),
            f => Assert.Equal((true, 1, "after"), (f.Fin, f.Opcode, f.Text)));
        Assert.Equal(1, result.Count);
    }

    [Theory]
    [MemberData(nameof(AllSplits))]
    public async Task NoSecret_FramesPassByteForByte(string split)
    {
        var input = Concat(Server(false, 1, "hello "), WebSocketFrames.Build(true, 9, [1, 2], masked: false), Server(true, 0, "world"),
            WebSocketFrames.Build(true, 2, new byte[70_000], masked: false), Server(true, 1, new string('q', 1000)));

        var result = await RunAsync(input, split, strict: true, Secrets);

        Assert.Equal(input, result.Output);
        Assert.Equal(0, result.Count);
    }

    [Theory]
    [MemberData(nameof(AllSplits))]
    public async Task SecretSplitAcrossFragments_WithControlFramesBetween_IsCaughtAndOrderKept(string split)
    {
        var cut = 7;
        var input = Concat(
            Server(false, 1, "echo: " + Secret[..cut]),
            WebSocketFrames.Build(true, 9, Encoding.ASCII.GetBytes("ping-1"), masked: false),
            Server(false, 0, Secret[cut..^3]),
            WebSocketFrames.Build(true, 10, Encoding.ASCII.GetBytes("pong-2"), masked: false),
            Server(true, 0, Secret[^3..] + " done"),
            Server(true, 1, "next"));

        var result = await RunAsync(input, split, strict: false, Secrets);

        Assert.Null(result.Error);
        Assert.Equal([1, 9, 0, 10, 0, 1], result.Frames.Select(f => f.Opcode));
        Assert.Equal(["ping-1", "pong-2"], result.Frames.Where(f => f.Opcode >= 8).Select(f => f.Text));
        Assert.Equal(["echo: [REDACTED] done", "next"], result.Messages().Select(m => Text(m.Payload)));
        Assert.DoesNotContain(Secret[..cut], Encoding.UTF8.GetString(result.Output), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whole", 8)]
    [InlineData("bytes", 8)]
    [InlineData("random-1", 5)]
    [InlineData("random-2", 64)]
    public async Task FrameLongerThanTheBound_IsSplitAndStillRedacted(string split, int maxPiece)
    {
        var message = "a" + Secret + new string('b', 50) + Secret + "c";

        var result = await RunAsync(Server(true, 1, message), split, strict: false, Secrets, maxPiece);

        Assert.Null(result.Error);
        Assert.True(result.Frames.Count > 1);
        Assert.All(result.Frames.Skip(1), f => Assert.Equal(0, f.Opcode));
        Assert.Equal(1, result.Frames[0].Opcode);
        Assert.Equal(["a[REDACTED]" + new string('b', 50) + "[REDACTED]c"], result.Messages().Select(m => Text(m.Payload)));
        Assert.Equal(2, result.Count);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task BinaryMessage_PassedUnderOn_RedactedUnderStrict(bool strict, bool passed)
    {
        var binary = Concat(new byte[] { 0, 0xFF, 0x80 }, Encoding.UTF8.GetBytes(Secret), new byte[] { 7 });
        var input = Concat(WebSocketFrames.Build(false, 2, binary, masked: false), WebSocketFrames.Build(true, 0, binary, masked: false));

        foreach (var split in Splits)
        {
            var result = await RunAsync(input, split, strict, Secrets);

            Assert.Null(result.Error);
            var payload = Assert.Single(result.Messages()).Payload;
            Assert.Equal(passed, Encoding.UTF8.GetString(payload).Contains(Secret, StringComparison.Ordinal));
            Assert.Equal(passed ? 0 : 2, result.Count);
            if (passed)
            {
                Assert.Equal(input, result.Output);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllSplits))]
    public async Task CompressedAndMaskedFrames_PassUnderOn(string split)
    {
        var input = Concat(
            Server(false, 1, "deflated " + Secret, rsv: 4),
            Server(true, 0, Secret),
            WebSocketFrames.Build(true, 1, Encoding.UTF8.GetBytes(Secret), masked: true),
            Server(true, 1, "plain " + Secret));

        var result = await RunAsync(input, split, strict: false, Secrets);

        Assert.Null(result.Error);
        var passed = input.Length - Server(true, 1, "plain " + Secret).Length;
        Assert.Equal(input[..passed], result.Output[..passed]);
        Assert.Equal("plain [REDACTED]", result.Frames[^1].Text);
    }

    [Theory]
    [InlineData("compressed")]
    [InlineData("masked")]
    [InlineData("reserved-opcode")]
    public async Task UninspectableFrame_UnderStrict_ClosesWith1008AndFails(string kind)
    {
        var bad = kind switch
        {
            "compressed" => Server(true, 1, Secret, rsv: 4),
            "masked" => WebSocketFrames.Build(true, 1, Encoding.UTF8.GetBytes(Secret), masked: true),
            _ => Server(true, 3, Secret),
        };

        foreach (var split in Splits)
        {
            var result = await RunAsync(Concat(Server(true, 1, "first " + Secret), bad, Server(true, 1, "never")), split, strict: true, Secrets);

            Assert.NotNull(result.Error);
            Assert.Collection(
                result.Frames,
                f => Assert.Equal("first [REDACTED]", f.Text),
                f => Assert.Equal((8, 1008), (f.Opcode, (int)BinaryPrimitives.ReadUInt16BigEndian(f.Payload))));
            Assert.DoesNotContain(Secret, Encoding.UTF8.GetString(result.Output), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CloseReason_IsRedacted_StatusKept(bool strict)
    {
        var reason = Concat(new byte[] { 0x0F, 0xA0 }, Encoding.UTF8.GetBytes("bad token " + Secret));
        foreach (var split in Splits)
        {
            var result = await RunAsync(WebSocketFrames.Build(true, 8, reason, masked: false), split, strict, Secrets);

            var close = Assert.Single(result.Frames);
            Assert.Equal((8, true, 4000), (close.Opcode, close.Fin, (int)BinaryPrimitives.ReadUInt16BigEndian(close.Payload)));
            Assert.Equal("bad token [REDACTED]", Text(close.Payload[2..]));
        }
    }

    [Fact]
    public async Task CloseReason_GrownPastTheControlLimit_IsCutAtACharacterBoundary()
    {
        // Four-byte secrets become ten-byte markers: the reason grows past 123 bytes and is cut without splitting "é".
        var reason = string.Concat(Enumerable.Repeat("abcdé", 19));
        var payload = Concat(new byte[] { 0x03, 0xE8 }, Encoding.UTF8.GetBytes(reason));

        var result = await RunAsync(WebSocketFrames.Build(true, 8, payload, masked: false), "whole", strict: false, ["abcd"]);

        var close = Assert.Single(result.Frames);
        Assert.True(close.Payload.Length <= 125, close.Payload.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var text = Text(close.Payload[2..]);
        Assert.StartsWith("[REDACTED]é[REDACTED]é", text, StringComparison.Ordinal);
        Assert.DoesNotContain("abcd", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public async Task PingPayload_PassedUnderOn_RedactedUnderStrict(bool strict, bool passed)
    {
        var ping = WebSocketFrames.Build(true, 9, Encoding.UTF8.GetBytes(Secret), masked: false);

        var result = await RunAsync(ping, "bytes", strict, Secrets);

        Assert.Equal(passed ? Secret : "[REDACTED]", Assert.Single(result.Frames).Text);
    }

    [Fact]
    public async Task OverASubstitutingStream_ReadsAreSubstitutedAndWritesRedacted()
    {
        var agentFrames = WebSocketFrames.Text("send __key__");
        var transport = new ChunkedReadStream(agentFrames, 3);
        var replacer = new ByteReplacer([(Encoding.ASCII.GetBytes("__key__"), Encoding.UTF8.GetBytes(Secret))]);
        var redactor = new Redactor(Secrets);
        await using var stream = new WebSocketRedactingStream(new WebSocketSubstitutingStream(transport, replacer), new WebSocketFrameRedactor(redactor, strict: false));

        var read = new MemoryStream();
        var buffer = new byte[64];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            read.Write(buffer, 0, n);
        }

        await stream.WriteAsync(Server(true, 1, "echo " + Secret));

        Assert.Equal("send " + Secret, Assert.Single(WebSocketFrames.Parse(read.ToArray())).Text);
        Assert.Equal("echo [REDACTED]", Assert.Single(WebSocketFrames.Parse(transport.Written.ToArray())).Text);
        Assert.Equal(1, redactor.Count);
    }
}
