using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Plugins.Tests.AwsSigV4;

/// <summary>
/// Checks a SigV4 Authorization header the way an AWS service does, written separately from the plugins' signer:
/// rebuilds the canonical request from the request as sent (only the signed headers) and compares signatures.
/// </summary>
internal static class IndependentSigV4Verifier
{
    public sealed record Parsed(string AccessKeyId, string Date, string Region, string Service, string[] SignedHeaders, string Signature);

    public static Parsed Parse(string authorization)
    {
        Assert.StartsWith("AWS4-HMAC-SHA256 ", authorization, StringComparison.Ordinal);
        var fields = authorization["AWS4-HMAC-SHA256 ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var scope = fields["Credential"].Split('/');
        Assert.Equal("aws4_request", scope[4]);
        return new Parsed(scope[0], scope[1], scope[2], scope[3], fields["SignedHeaders"].Split(';'), fields["Signature"]);
    }

    public static async Task<bool> VerifyAsync(HttpRequestMessage request, string secretAccessKey, bool doubleEncodePath = true)
    {
        var auth = Parse(string.Join(",", request.Headers.GetValues("Authorization")));
        var amzDate = request.Headers.GetValues("X-Amz-Date").Single();
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync();
        var payloadHash = request.Headers.TryGetValues("X-Amz-Content-Sha256", out var declared) ? declared.Single() : Hex(SHA256.HashData(body));
        var uri = request.RequestUri!;
        var canonical = new StringBuilder();
        canonical.Append(request.Method.Method).Append('\n');
        canonical.Append(doubleEncodePath ? Encode(uri.AbsolutePath, true) : string.Join('/', uri.AbsolutePath.Split('/').Select(s => Encode(Uri.UnescapeDataString(s), false)))).Append('\n');
        var query = uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Select(p => (Encode(Uri.UnescapeDataString(p[0]), false), Encode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty), false)))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.Ordinal);
        canonical.Append(string.Join('&', query.Select(p => p.Item1 + "=" + p.Item2))).Append('\n');
        foreach (var name in auth.SignedHeaders)
        {
            var value = name == "host" ? uri.Authority : HeaderValue(request, name);
            canonical.Append(name).Append(':').Append(value.Trim()).Append('\n');
        }

        canonical.Append('\n').Append(string.Join(';', auth.SignedHeaders)).Append('\n').Append(payloadHash);
        var scope = $"{auth.Date}/{auth.Region}/{auth.Service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), auth.Date);
        key = Hmac(key, auth.Region);
        key = Hmac(key, auth.Service);
        key = Hmac(key, "aws4_request");
        return Hex(Hmac(key, stringToSign)) == auth.Signature;
    }

    private static string HeaderValue(HttpRequestMessage request, string name)
    {
        if (request.Headers.NonValidated.TryGetValues(name, out var values))
        {
            return string.Join(',', values);
        }

        Assert.True(request.Content is not null && request.Content.Headers.NonValidated.TryGetValues(name, out values), $"signed header {name} is sent");
        return string.Join(',', values);
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] data) => Convert.ToHexString(data).ToLowerInvariant();

    private static string Encode(string value, bool keepSlash)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/') ? c.ToString() : "%" + b.ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
