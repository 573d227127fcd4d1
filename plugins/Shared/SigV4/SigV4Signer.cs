using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Plugins.SigV4;

/// <summary>Signs an <see cref="HttpRequestMessage"/> with AWS Signature Version 4 (header form).</summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string UnsignedPayload = "UNSIGNED-PAYLOAD";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly string[] SignerHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"];

    /// <summary>
    /// Sets <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> (when the credentials carry one), optionally
    /// <c>X-Amz-Content-Sha256</c>, and <c>Authorization</c>, replacing any such header already present.
    /// A buffered body is hashed (and stays buffered so it can still be sent).
    /// </summary>
    public static async Task SignAsync(
        HttpRequestMessage request, AwsCredentials credentials, SigV4SigningOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(options);

        var payloadHash = await PayloadHashAsync(request, options, cancellationToken);
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        foreach (var name in SignerHeaders)
        {
            request.Headers.Remove(name);
        }

        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        if (credentials.SessionToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.SessionToken);
        }

        if (options.IncludeContentSha256Header)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", payloadHash);
        }

        var (canonicalRequest, signedHeaders) = SigV4Canonicalizer.Build(request, payloadHash, options.DoubleEncodePath);
        var scope = CredentialScope(amzDate[..8], options.Region, options.Service);
        var signature = Signature(credentials.SecretAccessKey, amzDate, options.Region, options.Service, canonicalRequest);
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>The string to sign: algorithm, request time, credential scope and the hash of the canonical request.</summary>
    public static string StringToSign(string amzDate, string region, string service, string canonicalRequest) =>
        $"{Algorithm}\n{amzDate}\n{CredentialScope(amzDate[..8], region, service)}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

    /// <summary>The lower-case hex signature of a canonical request.</summary>
    public static string Signature(string secretAccessKey, string amzDate, string region, string service, string canonicalRequest)
    {
        var key = DeriveSigningKey(secretAccessKey, amzDate[..8], region, service);
        var stringToSign = StringToSign(amzDate, region, service, canonicalRequest);
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
    }

    /// <summary>kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").</summary>
    public static byte[] DeriveSigningKey(string secretAccessKey, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    public static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static string CredentialScope(string date, string region, string service) => $"{date}/{region}/{service}/aws4_request";

    private static async Task<string> PayloadHashAsync(HttpRequestMessage request, SigV4SigningOptions options, CancellationToken cancellationToken)
    {
        if (options.PrecomputedPayloadHash is { } precomputed)
        {
            return precomputed;
        }

        if (options.UnsignedPayload)
        {
            return UnsignedPayload;
        }

        if (request.Content is null)
        {
            return EmptyPayloadHash;
        }

        var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        return HexSha256(body);
    }
}
