using System.Net.Http.Headers;
using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.SigV4;
using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.AwsSigV4;

/// <summary>
/// Drops the agent's SigV4 signature (made with dummy keys) and signs the request as it will be sent with the vault's keys.
/// Bodies are buffered and hashed; S3 alone may carry <c>UNSIGNED-PAYLOAD</c> (large or streamed bodies, or when the
/// client asked for it), because S3 is the service that accepts it.
/// </summary>
internal sealed class SigV4Scheme : IAuthScheme
{
    /// <summary>Largest body that is buffered to be hashed.</summary>
    public const int MaxSignedBodyBytes = 16 * 1024 * 1024;

    private const string ContentSha256 = "X-Amz-Content-Sha256";

    private readonly AuthSchemeContext _context;
    private readonly ILogger _logger;
    private readonly string _accessKeyIdKey;
    private readonly string _secretKey;
    private readonly string? _sessionTokenKey;
    private readonly string? _region;
    private readonly string? _service;

    public SigV4Scheme(AuthSchemeContext context)
    {
        _context = context;
        _logger = context.LoggerFactory.CreateLogger<SigV4Scheme>();
        _accessKeyIdKey = context.Settings.GetString("access_key_id") ?? throw new ArgumentException("access_key_id is required");
        _secretKey = context.Settings.GetString("secret_access_key") ?? throw new ArgumentException("secret_access_key is required");
        _sessionTokenKey = context.Settings.GetString("session_token");
        _region = context.Settings.GetString("region");
        _service = context.Settings.GetString("service");
    }

    // X-Amz-Content-Sha256 is not stripped by the broker: the scheme reads the agent's value first (an S3 client may
    // declare an unsigned or trailer payload), and the signer then replaces it together with the other three.
    public IReadOnlyCollection<string> HeadersToStrip { get; } = ["Authorization", "X-Amz-Date", "X-Amz-Security-Token"];

    public async ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = request.Request;
        var uri = message.RequestUri ?? throw new AuthSchemeException("The request has no destination.");
        var derived = AwsEndpoint.Derive(uri.Host);
        var region = _region ?? derived?.Region;
        var service = _service ?? derived?.Service;
        if (region is null || service is null)
        {
            throw new AuthSchemeException($"Cannot tell the AWS service and region of host {uri.Host}: set 'region' and 'service' in the auth settings.");
        }

        var credentials = new AwsCredentials(
            await request.Credentials.GetAsync(_accessKeyIdKey, cancellationToken),
            await request.Credentials.GetAsync(_secretKey, cancellationToken),
            _sessionTokenKey is null ? null : await request.Credentials.GetAsync(_sessionTokenKey, cancellationToken));
        var isS3 = service == "s3";
        var declared = message.Headers.TryGetValues(ContentSha256, out var values) ? values.FirstOrDefault() : null;
        var payloadHash = await PayloadHashAsync(message, isS3, declared, cancellationToken);
        var options = new SigV4SigningOptions
        {
            Region = region,
            Service = service,
            PrecomputedPayloadHash = payloadHash,
            IncludeContentSha256Header = isS3,
            DoubleEncodePath = !isS3,
        };
        await SigV4Signer.SignAsync(message, credentials, options, _context.TimeProvider.GetUtcNow(), cancellationToken);
        if (credentials.SessionToken is not null)
        {
            request.AddInjectedValue(credentials.SessionToken);
        }

        SigV4Log.Signed(_logger, _context.VaultName, _context.ServiceName, service, region, payloadHash == SigV4Signer.UnsignedPayload ? "unsigned payload" : "hashed payload");
    }

    private static async Task<string> PayloadHashAsync(HttpRequestMessage message, bool isS3, string? declared, CancellationToken cancellationToken)
    {
        if (isS3 && declared is not null)
        {
            if (declared is SigV4Signer.UnsignedPayload or "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
            {
                return declared;
            }

            if (declared.StartsWith("STREAMING-", StringComparison.Ordinal))
            {
                // Each chunk is signed with the previous signature, which was made with the agent's dummy key.
                throw new AuthSchemeException("The client sent a chunk-signed S3 upload, which cannot be re-signed; configure it for unsigned payloads.");
            }
        }

        if (message.Content is null)
        {
            return SigV4Signer.EmptyPayloadHash;
        }

        var length = message.Content.Headers.ContentLength;
        if (isS3 && (length is null || length > MaxSignedBodyBytes))
        {
            return SigV4Signer.UnsignedPayload;
        }

        if (length > MaxSignedBodyBytes)
        {
            throw new AuthSchemeException($"The request body is larger than {MaxSignedBodyBytes / (1024 * 1024)} MiB and cannot be hashed for signing.");
        }

        var body = await BufferAsync(message.Content, cancellationToken);
        var buffered = new ByteArrayContent(body);
        foreach (var (name, headerValues) in message.Content.Headers.NonValidated)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(name, headerValues);
            }
        }

        buffered.Headers.ContentLength = body.Length;
        message.Content = buffered;
        return SigV4Signer.HexSha256(body);
    }

    private static async Task<byte[]> BufferAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var stream = new BoundedBuffer(MaxSignedBodyBytes);
        try
        {
            await content.CopyToAsync(stream, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new AuthSchemeException($"The request body is larger than {MaxSignedBodyBytes / (1024 * 1024)} MiB and cannot be hashed for signing.", null, ex);
        }

        return stream.ToArray();
    }
}
