using System.IO.Compression;
using System.Net.Http.Headers;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// The content codings the broker can decode to redact a body (identity, gzip, deflate, br; RFC 9110 §8.4.1), and how to
/// restrict an agent's <c>Accept-Encoding</c> to them so the upstream is never invited to use another.
/// </summary>
internal static class ContentCodings
{
    private static readonly string[] Decodable = ["gzip", "deflate", "br"];

    /// <summary>True for a coding the broker can decode (identity included).</summary>
    public static bool CanDecode(string coding) => coding.Trim().ToLowerInvariant() is "identity" or "gzip" or "x-gzip" or "deflate" or "br";

    /// <summary>The non-identity codings of a <c>Content-Encoding</c> header, in the order they were applied.</summary>
    public static IReadOnlyList<string> Applied(IEnumerable<string?> contentEncoding) =>
        [.. contentEncoding.SelectMany(v => (v ?? string.Empty).Split(',')).Select(c => c.Trim())
            .Where(c => c.Length > 0 && !c.Equals("identity", StringComparison.OrdinalIgnoreCase))];

    /// <summary>
    /// Rewrites <c>Accept-Encoding</c> to the decodable codings the agent accepts, with its weights (a <c>*</c> stands for
    /// gzip, deflate and br; zstd, compress and unknown codings are dropped; <c>q=0</c> refusals are kept). When nothing
    /// acceptable is left — or the agent sent none, which would let the upstream pick any coding — it becomes <c>identity</c>.
    /// </summary>
    public static void RestrictAcceptEncoding(HttpRequestMessage request)
    {
        string[] offered = request.Headers.NonValidated.TryGetValues("Accept-Encoding", out var values) ? [.. values] : [];
        var kept = new List<StringWithQualityHeaderValue>();
        foreach (var entry in offered.SelectMany(v => v.Split(',')))
        {
            if (!StringWithQualityHeaderValue.TryParse(entry.Trim(), out var parsed))
            {
                continue;
            }

            var coding = parsed.Value.ToLowerInvariant();
            if (coding == "*" && parsed.Quality != 0)
            {
                kept.AddRange(Decodable.Where(d => !Listed(offered, d)).Select(d => Weighted(d, parsed.Quality)));
            }
            else if (coding == "*" || CanDecode(coding))
            {
                kept.Add(Weighted(coding, parsed.Quality));
            }
        }

        request.Headers.Remove("Accept-Encoding");
        if (!kept.Any(k => k.Quality != 0))
        {
            kept = [new StringWithQualityHeaderValue("identity")];
        }

        foreach (var value in kept)
        {
            request.Headers.AcceptEncoding.Add(value);
        }
    }

    /// <summary>
    /// A stream that decodes <paramref name="source"/> (encoded with <paramref name="codings"/>, in the order applied), or
    /// null when one of them cannot be decoded.
    /// </summary>
    public static Stream? Decode(Stream source, IReadOnlyList<string> codings)
    {
        var stream = source;
        for (var i = codings.Count - 1; i >= 0; i--)
        {
            Stream? decoder = codings[i].ToLowerInvariant() switch
            {
                "gzip" or "x-gzip" => new GZipStream(stream, CompressionMode.Decompress),
                // HTTP's "deflate" is the zlib format (RFC 9110 §8.4.1.2, RFC 1950).
                "deflate" => new ZLibStream(stream, CompressionMode.Decompress),
                "br" => new BrotliStream(stream, CompressionMode.Decompress),
                _ => null,
            };
            if (decoder is null)
            {
                return null;
            }

            stream = decoder;
        }

        return stream;
    }

    private static bool Listed(string[] offered, string coding) =>
        offered.SelectMany(v => v.Split(',')).Any(e => StringWithQualityHeaderValue.TryParse(e.Trim(), out var p) && p.Value.Equals(coding, StringComparison.OrdinalIgnoreCase));

    private static StringWithQualityHeaderValue Weighted(string coding, double? quality) =>
        quality is { } q ? new StringWithQualityHeaderValue(coding, q) : new StringWithQualityHeaderValue(coding);
}
