using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// The ways a careless upstream can send a value it received back to the caller: plainly, JSON-escaped, base64 (exact,
/// url-safe, or embedded in a longer base64 document such as a JWT payload), URL-encoded (<c>%2B</c> upper or lower hex,
/// form encoding), in a response header, byte by byte in a chunked body, or split across SSE flushes. The test upstream
/// writes these forms and the tests compute the same text to look for in what the agent received.
/// </summary>
internal static class LeakForm
{
    public const string Plain = "plain";
    public const string Json = "json";
    public const string Base64 = "base64";
    public const string Base64Url = "base64url";
    public const string Base64Embedded = "base64-embedded";
    public const string UrlEncoded = "urlencoded";
    public const string UrlEncodedLower = "urlencoded-lower";
    public const string FormEncoded = "form";
    public const string Header = "header";
    public const string ByteByByte = "byte-by-byte";
    public const string Sse = "sse";
    public const string Xml = "xml";
    public const string Binary = "binary";

    /// <summary>Every textual form: the <c>on</c> mode must redact all of them.</summary>
    public static readonly string[] Textual =
        [Plain, Json, Base64, Base64Url, Base64Embedded, UrlEncoded, UrlEncodedLower, FormEncoded, Header, ByteByByte, Sse, Xml];

    /// <summary>The text of <paramref name="value"/> in <paramref name="form"/>, as it appears in the body (or the header).</summary>
    public static string Encode(string form, string value) => form switch
    {
        Plain or Header or ByteByByte or Sse or Binary => value,
        Json => JsonSerializer.Serialize(value),
        Base64 => Convert.ToBase64String(Encoding.UTF8.GetBytes(value)),
        Base64Url => Convert.ToBase64String(Encoding.UTF8.GetBytes(value)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
        Base64Embedded => Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"iss\":\"upstream\",\"echo\":\"" + value + "\",\"n\":1}")),
        UrlEncoded => Uri.EscapeDataString(value),
        UrlEncodedLower => LowerHex(Uri.EscapeDataString(value)),
        FormEncoded => WebUtility.UrlEncode(value),
        Xml => WebUtility.HtmlEncode(value),
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, "unknown leak form"),
    };

    /// <summary>The Content-Type the upstream declares for <paramref name="form"/>.</summary>
    public static string ContentType(string form) => form switch
    {
        Json => "application/json",
        UrlEncoded or UrlEncodedLower or FormEncoded => "application/x-www-form-urlencoded",
        Sse => "text/event-stream",
        Xml => "application/xml",
        Binary => "application/octet-stream",
        _ => "text/plain; charset=utf-8",
    };

    /// <summary>The whole body the upstream sends for <paramref name="form"/> (the header form sends a fixed body).</summary>
    public static string Body(string form, string value) => form switch
    {
        Header => "see headers",
        Json => "{\"echo\":" + Encode(form, value) + "}",
        UrlEncoded or UrlEncodedLower or FormEncoded => "echo=" + Encode(form, value) + "&n=1",
        Sse => "data: first\n\ndata: " + value + "\n\n",
        Xml => "<echo>" + Encode(form, value) + "</echo>",
        _ => "echo:" + Encode(form, value) + ";",
    };

    private static string LowerHex(string escaped)
    {
        var builder = new StringBuilder(escaped);
        for (var i = 0; i + 2 < builder.Length; i++)
        {
            if (builder[i] == '%')
            {
                builder[i + 1] = char.ToLowerInvariant(builder[i + 1]);
                builder[i + 2] = char.ToLowerInvariant(builder[i + 2]);
            }
        }

        return builder.ToString();
    }
}
