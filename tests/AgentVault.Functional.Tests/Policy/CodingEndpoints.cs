using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// More endpoints of <see cref="PolicyEndpoints"/> that try to get an echoed secret past redaction: <c>/encoded/{codings}</c> sends
/// <c>echo:VALUE;</c> compressed with the given codings whatever it was asked (<c>zstd</c> is faked: the bytes stay plain,
/// so an agent that gets it can read the secret); <c>/negotiate</c> picks the first coding the request accepts, preferring
/// zstd; <c>/range</c> serves byte ranges of the echo; <c>/trailer</c> sends the value in an HTTP/2 trailer; <c>/bomb</c>
/// sends <c>mib</c> MiB of gzip-compressed text. Each answers with what it saw of the request in <c>X-Seen-*</c> headers.
/// </summary>
internal static class CodingEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.Map("/encoded/{codings}", async (HttpContext c, string codings) => await SendAsync(c, codings.Split(',', StringSplitOptions.TrimEntries)));
        app.Map("/negotiate", NegotiateAsync);
        app.Map("/range", RangeAsync);
        app.Map("/trailer", TrailerAsync);
        app.Map("/bomb", BombAsync);
    }

    private static async Task NegotiateAsync(HttpContext context)
    {
        var accepted = context.Request.Headers.AcceptEncoding.ToString();
        context.Response.Headers["X-Seen-Accept-Encoding"] = accepted;
        var choice = accepted.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(e => StringWithQualityHeaderValue.TryParse(e, out var p) ? p : null)
            .Where(p => p is not null && p.Quality != 0 && p.Value is "zstd" or "br" or "gzip" or "deflate")
            .OrderBy(p => p!.Value == "zstd" ? 0 : 1)
            .Select(p => p!.Value)
            .FirstOrDefault();
        await SendAsync(context, choice is null ? [] : [choice]);
    }

    private static async Task SendAsync(HttpContext context, string[] codings)
    {
        var response = context.Response;
        var body = Encoding.UTF8.GetBytes("echo:" + await PolicyEndpoints.SourceAsync(context) + ";");
        foreach (var coding in codings)
        {
            body = Encode(coding, body);
        }

        response.ContentType = context.Request.Query["type"].FirstOrDefault() ?? "application/json";
        if (codings.Length > 0)
        {
            response.Headers.ContentEncoding = string.Join(", ", codings);
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task RangeAsync(HttpContext context)
    {
        context.Response.Headers["X-Seen-Range"] = context.Request.Headers.Range.ToString();
        var body = Encoding.UTF8.GetBytes("echo:" + await PolicyEndpoints.SourceAsync(context) + ";");
        await Results.Bytes(body, "text/plain", enableRangeProcessing: true, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"v1\"")).ExecuteAsync(context);
    }

    private static async Task TrailerAsync(HttpContext context)
    {
        var value = await PolicyEndpoints.SourceAsync(context);
        if (!context.Response.SupportsTrailers())
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("trailers need HTTP/2 between the broker and this upstream", context.RequestAborted);
            return;
        }

        context.Response.ContentType = "text/plain";
        context.Response.DeclareTrailer("X-Echo");
        await context.Response.WriteAsync("body without the value", context.RequestAborted);
        context.Response.AppendTrailer("X-Echo", value);
    }

    private static async Task BombAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/plain";
        response.Headers.ContentEncoding = "gzip";
        var chunk = new byte[1 << 20];
        Array.Fill(chunk, (byte)'a');
        await using var gzip = new GZipStream(response.Body, CompressionLevel.Fastest, leaveOpen: true);
        for (var i = 0; i < int.Parse(context.Request.Query["mib"].ToString(), System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            await gzip.WriteAsync(chunk, context.RequestAborted);
        }
    }

    private static byte[] Encode(string coding, byte[] body)
    {
        using var output = new MemoryStream();
        using (Stream? encoder = coding switch
        {
            "gzip" or "x-gzip" => new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true),
            "br" => new BrotliStream(output, CompressionLevel.Fastest, leaveOpen: true),
            _ => null,
        })
        {
            if (encoder is null)
            {
                return body; // zstd, compress, …: the test upstream cannot produce them, the label is what counts
            }

            encoder.Write(body);
        }

        return output.ToArray();
    }
}
