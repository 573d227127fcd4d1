using System.IO.Compression;
using System.Net.Http;
using System.Text;
using AgentVault.Broker.Forwarding;

namespace AgentVault.Broker.Tests.Forwarding;

public sealed class ContentCodingsTests
{
    private const string Text = "echo:Bearer sk-content-codings-1234;";

    [Theory]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    [InlineData("gzip,br")]
    [InlineData("identity,gzip")]
    public async Task EncodedBody_DecodesToTheOriginal(string codings)
    {
        var applied = ContentCodings.Applied([codings]);
        var bytes = Encoding.UTF8.GetBytes(Text);
        foreach (var coding in applied)
        {
            bytes = Encode(coding, bytes);
        }

        await using var body = Open(bytes, applied);

        Assert.Equal(Text, await new StreamReader(body).ReadToEndAsync());
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("gzip, compress")]
    public void UnknownCoding_CannotBeDecoded(string codings) =>
        Assert.Null(ContentCodings.Decode(new MemoryStream(), ContentCodings.Applied([codings])));

    [Theory]
    [InlineData("br")]
    [InlineData("deflate")]
    [InlineData("gzip")]
    public async Task DataAfterTheCompressedBody_NeverReachesTheReader(string coding)
    {
        // Plain bytes appended after the coded data: either the decoder rejects them or they are dropped, never passed on.
        var bytes = Encode(coding, Encoding.UTF8.GetBytes(Text)).Concat(Encoding.UTF8.GetBytes("|appended plain text")).ToArray();
        await using var body = Open(bytes, [coding]);

        try
        {
            Assert.Equal(Text, await new StreamReader(body).ReadToEndAsync());
        }
        catch (InvalidDataException)
        {
        }
    }

    [Fact]
    public async Task CorruptBody_IsAnError()
    {
        await using var body = Open(Encoding.UTF8.GetBytes("not gzip at all " + Text), ["gzip"]);

        await Assert.ThrowsAsync<InvalidDataException>(() => new StreamReader(body).ReadToEndAsync());
    }

    private static DecodedResponseBody Open(byte[] bytes, IReadOnlyList<string> codings)
    {
        var source = new MemoryStream(bytes);
        return new DecodedResponseBody(ContentCodings.Decode(source, codings)!, source, new ByteArrayContent([]));
    }

    private static byte[] Encode(string coding, byte[] body)
    {
        using var output = new MemoryStream();
        using (Stream encoder = coding switch
        {
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
        })
        {
            encoder.Write(body);
        }

        return output.ToArray();
    }
}
