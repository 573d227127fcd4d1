namespace AgentVault.Plugins.Jwt;

/// <summary>The JWS signature algorithms the minting schemes sign with (RFC 7518 §3.1).</summary>
public enum JwsAlgorithm
{
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256; needs an RSA key of at least 2048 bits.</summary>
    RS256,

    /// <summary>ECDSA on P-256 with SHA-256; the signature is r||s, 64 bytes (RFC 7518 §3.4).</summary>
    ES256,
}
