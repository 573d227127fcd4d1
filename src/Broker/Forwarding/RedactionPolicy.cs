using System.Net.Http.Headers;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Forwarding;

/// <summary>Shapes the upstream request for redaction, and decides per response whether its body is redacted, decoded and redacted, passed or refused.</summary>
internal static class RedactionPolicy
{
    /// <summary>
    /// Under <c>on</c> and <c>strict</c>, offers the upstream only codings the broker can decode. Under <c>strict</c> also
    /// removes <c>Range</c>/<c>If-Range</c> (byte-range slices of an echoed secret would each be too short to match, and
    /// reassemble into the secret at the agent) and withdraws a WebSocket handshake's extension offer (permessage-deflate),
    /// so nothing can slip through compressed or in pieces.
    /// </summary>
    public static void PrepareRequest(RedactionMode mode, HttpRequestMessage request)
    {
        if (mode == RedactionMode.Off)
        {
            return;
        }

        ContentCodings.RestrictAcceptEncoding(request);
        if (mode == RedactionMode.Strict)
        {
            request.Headers.Remove("Range");
            request.Headers.Remove("If-Range");
            request.Headers.Remove("Sec-WebSocket-Extensions");
        }
    }

    /// <summary>
    /// Text bodies (every body under <c>strict</c>) are redacted, decoded first when compressed; one in a coding the broker
    /// cannot decode is refused. Binary bodies under <c>on</c>, bodiless answers and <c>off</c> pass.
    /// </summary>
    public static RedactionBodyAction Decide(RedactionMode mode, string method, int status, string? contentType, IEnumerable<string> contentEncodings)
    {
        if (mode == RedactionMode.Off || HttpMethods.IsHead(method) || status is < 200 or 204 or 304)
        {
            return RedactionBodyAction.Pass;
        }

        if (mode != RedactionMode.Strict && !IsTextual(contentType))
        {
            return RedactionBodyAction.Pass;
        }

        // A 206 slice of a compressed representation cannot be decoded on its own (RFC 9110 §14.1: ranges count encoded bytes).
        var codings = ContentCodings.Applied(contentEncodings);
        return codings.Count == 0 ? RedactionBodyAction.Redact
            : status != 206 && codings.All(ContentCodings.CanDecode) ? RedactionBodyAction.Decode
            : RedactionBodyAction.Refuse;
    }

    /// <summary>Text, JSON, XML, form, SSE, JavaScript, YAML, NDJSON, multipart, or no declared type at all.</summary>
    public static bool IsTextual(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType) || !MediaTypeHeaderValue.TryParse(contentType, out var parsed) || parsed.MediaType is null)
        {
            return true;
        }

        var media = parsed.MediaType.ToLowerInvariant();
        return media.StartsWith("text/", StringComparison.Ordinal)
            || media.StartsWith("multipart/", StringComparison.Ordinal)
            || media.EndsWith("+json", StringComparison.Ordinal)
            || media.EndsWith("+xml", StringComparison.Ordinal)
            || media is "application/json" or "application/xml" or "application/x-www-form-urlencoded" or "application/javascript"
                or "application/x-ndjson" or "application/jsonl" or "application/yaml" or "application/x-yaml" or "application/graphql"
                or "application/jwt" or "application/x-javascript" or "application/ecmascript";
    }
}
