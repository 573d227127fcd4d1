using System.Net.Http.Headers;

namespace AgentVault.Broker.Forwarding;

/// <summary>Decides, per response, whether its body is redacted, passed, or (strict mode, compressed) refused.</summary>
internal static class RedactionPolicy
{
    /// <summary>
    /// In strict mode, asks the upstream for an uncompressed response and withdraws a WebSocket handshake's extension
    /// offer (permessage-deflate), so nothing can slip through compressed.
    /// </summary>
    public static void PrepareRequest(RedactionMode mode, HttpRequestMessage request)
    {
        if (mode == RedactionMode.Strict)
        {
            request.Headers.AcceptEncoding.Clear();
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            request.Headers.Remove("Sec-WebSocket-Extensions");
        }
    }

    public static RedactionBodyAction Decide(RedactionMode mode, string method, int status, string? contentType, IEnumerable<string> contentEncodings)
    {
        if (mode == RedactionMode.Off || HttpMethods.IsHead(method) || status is < 200 or 204 or 304)
        {
            return RedactionBodyAction.Pass;
        }

        if (contentEncodings.Any(e => !string.IsNullOrWhiteSpace(e) && !e.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase)))
        {
            return mode == RedactionMode.Strict ? RedactionBodyAction.Refuse : RedactionBodyAction.Pass;
        }

        return mode == RedactionMode.Strict || IsTextual(contentType) ? RedactionBodyAction.Redact : RedactionBodyAction.Pass;
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
