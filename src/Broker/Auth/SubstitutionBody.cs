using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentVault.Abstractions.Auth;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Auth;

/// <summary>
/// Body substitution for JSON (<c>application/json</c>, <c>*/*+json</c>: inside string tokens, JSON-escaped) and
/// <c>application/x-www-form-urlencoded</c> (form-encoded) bodies up to a size bound. Compressed (<c>Content-Encoding</c>),
/// multipart and other bodies are streamed untouched.
/// </summary>
internal static class SubstitutionBody
{
    private enum BodyKind
    {
        Other,
        Json,
        Form,
    }

    public static async ValueTask ApplyAsync(
        HttpRequestMessage proxyRequest, HttpRequest agentRequest, IReadOnlyList<CompiledSubstitution> items, int maxBytes,
        ICredentialAccessor credentials, CancellationToken cancellationToken)
    {
        var kind = Classify(agentRequest.ContentType);
        if (kind == BodyKind.Other || IsEncoded(agentRequest) || agentRequest.ContentLength > maxBytes)
        {
            return;
        }

        var (buffer, length) = await ReadBoundedAsync(agentRequest.Body, maxBytes, cancellationToken);
        if (length > maxBytes)
        {
            // Too large to buffer: forward what was read followed by the rest, unchanged.
            agentRequest.Body = new PrefixedReadStream(buffer.AsMemory(0, length), agentRequest.Body);
            return;
        }

        var body = buffer.AsMemory(0, length);
        var pairs = new List<(byte[], byte[])>();
        foreach (var item in items)
        {
            if (item.Has(SubstitutionSurfaces.Body) && body.Span.IndexOf(item.PlaceholderBytes) >= 0)
            {
                var value = await credentials.GetAsync(item.Key, cancellationToken);
                pairs.Add((item.PlaceholderBytes, Encode(value, kind)));
            }
        }

        var rewritten = pairs.Count == 0
            ? null
            : kind == BodyKind.Json ? JsonStringReplacer.Replace(body.Span, new ByteReplacer(pairs)) : new ByteReplacer(pairs).Replace(body.Span);
        var final = rewritten ?? body.ToArray();
        agentRequest.Body = new MemoryStream(final, writable: false);
        if (agentRequest.ContentLength is not null)
        {
            agentRequest.ContentLength = final.Length;
        }

        proxyRequest.Content!.Headers.ContentLength = final.Length;
    }

    private static byte[] Encode(string value, BodyKind kind) => kind == BodyKind.Json
        ? Encoding.UTF8.GetBytes(JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value)
        : Encoding.UTF8.GetBytes(Uri.EscapeDataString(value));

    private static BodyKind Classify(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is null)
        {
            return BodyKind.Other;
        }

        if (parsed.CharSet is { } charset && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
            && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Other;
        }

        var media = parsed.MediaType;
        if (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Json;
        }

        return media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) ? BodyKind.Form : BodyKind.Other;
    }

    private static bool IsEncoded(HttpRequest request) =>
        request.Headers.ContentEncoding.Any(v => !string.IsNullOrWhiteSpace(v) && !v!.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads up to <paramref name="maxBytes"/> + 1 bytes; a length above the bound means there is more.</summary>
    private static async ValueTask<(byte[] Buffer, int Length)> ReadBoundedAsync(Stream source, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[Math.Min(maxBytes + 1, 16 * 1024)];
        var length = 0;
        while (length <= maxBytes)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min((long)maxBytes + 1, buffer.Length * 2L));
            }

            var read = await source.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return (buffer, length);
    }
}
