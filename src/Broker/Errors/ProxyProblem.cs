using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Errors;

/// <summary>
/// The one writer of the proxy's own error responses: <c>application/problem+json</c> with <c>type,title,status,detail,code</c>,
/// the <c>X-Agent-Vault-Error</c> header, <c>Proxy-Authenticate</c> for 407 and <c>Retry-After</c> for 429.
/// </summary>
internal static class ProxyProblem
{
    public const string ErrorHeader = "X-Agent-Vault-Error";
    public const string ProxyAuthenticateValue = "Basic realm=\"agent-vault\"";
    private const string ContentType = "application/problem+json";

    /// <summary>
    /// Writes the problem to a response that has not started; returns false (writing nothing) when it has, or when the error
    /// is one that is never answered.
    /// </summary>
    public static async Task<bool> WriteAsync(HttpContext context, ProxyRefusal refusal, CancellationToken cancellationToken)
    {
        var response = context.Response;
        if (response.HasStarted || !refusal.Error.IsAnswered)
        {
            return false;
        }

        response.Clear();
        response.StatusCode = refusal.Error.Status;
        response.ContentType = ContentType;
        response.Headers[ErrorHeader] = refusal.Error.Code;
        if (refusal.Error == ProxyError.ProxyAuthRequired)
        {
            response.Headers.ProxyAuthenticate = ProxyAuthenticateValue;
        }

        if (refusal.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        }

        response.Headers.CacheControl = "no-store";
        var body = Serialize(refusal);
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A complete HTTP/1.1 response for a refused CONNECT (answered before any tunnel exists); the connection closes after it.</summary>
    public static byte[] FormatHttp11(ProxyRefusal refusal, out int bodyLength)
    {
        var body = Serialize(refusal);
        bodyLength = body.Length;
        var head = new StringBuilder(256)
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {refusal.Error.Status} {ReasonPhrase(refusal.Error.Status)}\r\n")
            .Append("Content-Type: ").Append(ContentType).Append("\r\n")
            .Append(ErrorHeader).Append(": ").Append(refusal.Error.Code).Append("\r\n");
        if (refusal.Error == ProxyError.ProxyAuthRequired)
        {
            head.Append("Proxy-Authenticate: ").Append(ProxyAuthenticateValue).Append("\r\n");
        }

        if (refusal.RetryAfter is { } retryAfter)
        {
            head.Append("Retry-After: ").Append(RetryAfterSeconds(retryAfter)).Append("\r\n");
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        var headBytes = Encoding.ASCII.GetBytes(head.ToString());
        return [.. headBytes, .. body];
    }

    private static byte[] Serialize(ProxyRefusal refusal)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, ProblemJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", refusal.Error.TypeUri);
            writer.WriteString("title", refusal.Error.Title);
            writer.WriteNumber("status", refusal.Error.Status);
            writer.WriteString("detail", refusal.Detail);
            writer.WriteString("code", refusal.Error.Code);
            if (refusal.ProposalHint is { } hint)
            {
                writer.WriteStartObject("proposal_hint");
                writer.WriteString("host", hint.Host);
                writer.WriteNumber("port", hint.Port);
                writer.WriteString("endpoint", "/v1/proposals");
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        502 => "Bad Gateway",
        504 => "Gateway Timeout",
        _ => "Error",
    };
}
