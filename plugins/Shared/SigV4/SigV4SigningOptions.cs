namespace AgentVault.Plugins.SigV4;

/// <summary>What a SigV4 signature covers besides the request itself.</summary>
public sealed class SigV4SigningOptions
{
    /// <summary>The region of the credential scope, e.g. <c>us-east-1</c>.</summary>
    public required string Region { get; init; }

    /// <summary>The service of the credential scope, e.g. <c>secretsmanager</c>.</summary>
    public required string Service { get; init; }

    /// <summary>Sign the literal <c>UNSIGNED-PAYLOAD</c> instead of hashing the body (S3 over TLS; streaming bodies).</summary>
    public bool UnsignedPayload { get; init; }

    /// <summary>A payload hash (lower-case hex SHA-256) computed by the caller; the body is then not read.</summary>
    public string? PrecomputedPayloadHash { get; init; }

    /// <summary>Send (and sign) the payload hash as <c>X-Amz-Content-Sha256</c>, which S3 requires.</summary>
    public bool IncludeContentSha256Header { get; init; }

    /// <summary>
    /// Percent-encode the already-encoded path again, as every service but S3 expects
    /// (false: the path is decoded and encoded once, S3 style).
    /// </summary>
    public bool DoubleEncodePath { get; init; } = true;
}
