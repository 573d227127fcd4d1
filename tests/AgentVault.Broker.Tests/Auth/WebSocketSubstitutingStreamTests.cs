using System.Text;
using AgentVault.Broker.Auth;

namespace AgentVault.Broker.Tests.Auth;

public sealed class WebSocketSubstitutingStreamTests
{
    private const string Secret = "sk-live-ü\"1";

    private static async Task<List<WebSocketFrames.Frame>> RunAsync(byte[] input, int chunk, int maxMessage = WebSocketSubstitutingStream.MaxMessageBytes, int readSize = 4096)
    {
        var replacer = new ByteReplacer([(Encoding.ASCII.GetBytes("__key__"), Encoding.UTF8.GetBytes(Secret))]);
        await using var stream = new WebSocketSubstitutingStream(new ChunkedReadStream(input, chunk), replacer, maxMessage);
        var output = new MemoryStream();
        var buffer = new byte[readSize];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return WebSocketFrames.Parse(output.ToArray());
    }

    private static (bool, int, int, bool, string) Shape(WebSocketFrames.Frame f) => (f.Fin, f.Rsv, f.Opcode, f.Masked, Convert.ToHexString(f.Payload));

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(65536)]
    public async Task TextFrame_PlaceholderReplacedAndReMasked(int chunk)
    {
        var frames = await RunAsync(WebSocketFrames.Text("""{"auth":"__key__","again":"__key__"}"""), chunk);

        var frame = Assert.Single(frames);
        Assert.True(frame.Fin);
        Assert.True(frame.Masked);
        Assert.Equal(1, frame.Opcode);
        Assert.Equal($$"""{"auth":"{{Secret}}","again":"{{Secret}}"}""", frame.Text);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(4096)]
    public async Task FragmentedText_WithPlaceholderSplitAcrossFragmentsAndPingBetween_IsJoined(int chunk)
    {
        var input = Concat(
            WebSocketFrames.Text("hello __k", fin: false, opcode: 1),
            WebSocketFrames.Build(true, 0x9, Encoding.ASCII.GetBytes("ping!")),
            WebSocketFrames.Text("ey__ world", fin: true, opcode: 0),
            WebSocketFrames.Text("second __key__"));

        var frames = await RunAsync(input, chunk);

        Assert.Collection(
            frames,
            ping => Assert.Equal((0x9, "ping!"), (ping.Opcode, ping.Text)),
            text => Assert.Equal((1, true, "hello " + Secret + " world"), (text.Opcode, text.Fin, text.Text)),
            second => Assert.Equal((1, "second " + Secret), (second.Opcode, second.Text)));
    }

    [Fact]
    public async Task BinaryAndCompressedAndUnmaskedFrames_PassThroughByteForByte()
    {
        var binary = WebSocketFrames.Build(true, 2, Encoding.ASCII.GetBytes("__key__ binary"));
        var compressedStart = WebSocketFrames.Build(false, 1, Encoding.ASCII.GetBytes("__key__"), rsv: 4);
        var compressedEnd = WebSocketFrames.Build(true, 0, Encoding.ASCII.GetBytes("__key__"));
        var unmasked = WebSocketFrames.Build(true, 1, Encoding.ASCII.GetBytes("__key__"), masked: false);
        var close = WebSocketFrames.Build(true, 8, [0x03, 0xE8]);
        var input = Concat(binary, compressedStart, compressedEnd, unmasked, close);

        var frames = await RunAsync(input, 3);

        Assert.Equal(WebSocketFrames.Parse(input).Select(Shape), frames.Select(Shape));
        Assert.All(frames.Take(4), f => Assert.Contains("__key__", f.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MessageOverTheBound_IsForwardedInPieces()
    {
        var input = Concat(
            WebSocketFrames.Text("a __key__ ", fin: false, opcode: 1),
            WebSocketFrames.Text(new string('x', 64) + " __key__", fin: false, opcode: 0),
            WebSocketFrames.Text(" z __key__", fin: true, opcode: 0));

        var frames = await RunAsync(input, 4096, maxMessage: 32);

        Assert.Equal(["a " + Secret + " ", new string('x', 64) + " __key__", " z " + Secret], frames.Select(f => f.Text));
        Assert.Equal([1, 0, 0], frames.Select(f => f.Opcode));
        Assert.Equal([false, false, true], frames.Select(f => f.Fin));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(70_000)]
    public async Task LongPayloads_UseExtendedLengths(int size)
    {
        var text = new string('y', size) + "__key__";

        var frames = await RunAsync(WebSocketFrames.Text(text), 1000, readSize: 100);

        Assert.Equal(new string('y', size) + Secret, Assert.Single(frames).Text);
    }

    [Fact]
    public async Task Writes_PassThroughUnchanged()
    {
        var inner = new ChunkedReadStream([], 1);
        await using var stream = new WebSocketSubstitutingStream(inner, new ByteReplacer([(Encoding.ASCII.GetBytes("__key__"), [1])]));
        var serverFrame = WebSocketFrames.Build(true, 1, Encoding.ASCII.GetBytes("__key__"), masked: false);

        await stream.WriteAsync(serverFrame);

        Assert.Equal(serverFrame, inner.Written.ToArray());
    }

    [Fact]
    public async Task TruncatedInput_IsPassedOnAndEnds()
    {
        var frame = WebSocketFrames.Build(true, 2, new byte[10]);
        var truncated = frame[..5];

        var replacer = new ByteReplacer([(Encoding.ASCII.GetBytes("__key__"), [1])]);
        await using var stream = new WebSocketSubstitutingStream(new ChunkedReadStream(truncated, 2), replacer);
        var output = new MemoryStream();
        await stream.CopyToAsync(output);

        Assert.Equal(truncated, output.ToArray());
    }
}
