using System.Security.Cryptography;

namespace AgentVault.Plugins.Jwt;

/// <summary>
/// A private key read from PEM (PKCS#8 <c>PRIVATE KEY</c>, PKCS#1 <c>RSA PRIVATE KEY</c> or SEC1 <c>EC PRIVATE KEY</c>) that signs
/// JWS inputs. <see cref="ToString"/> shows the key type and size only. Not thread-safe: use one instance per signing operation.
/// </summary>
public sealed class JwtSigningKey : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const int MinimumRsaBits = 2048;

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private JwtSigningKey(RSA? rsa, ECDsa? ecdsa)
    {
        _rsa = rsa;
        _ecdsa = ecdsa;
    }

    /// <summary>The algorithm this key signs with: RS256 for an RSA key, ES256 for a P-256 key.</summary>
    public JwsAlgorithm Algorithm => _rsa is not null ? JwsAlgorithm.RS256 : JwsAlgorithm.ES256;

    /// <summary>Reads the first private key in <paramref name="pem"/>; other blocks (e.g. a certificate) are skipped.</summary>
    public static JwtSigningKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var (label, der) = PemKeyReader.FindPrivateKey(pem);
        try
        {
            return label switch
            {
                PemKeyReader.Pkcs8Label => FromPkcs8(der),
                PemKeyReader.RsaLabel => FromRsa(der),
                PemKeyReader.EcLabel => FromEc(der),
                _ => throw new JwtKeyException($"The PEM block '{label}' is not a supported private key."),
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Signs <paramref name="data"/> (the JWS signing input) with <paramref name="algorithm"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> data, JwsAlgorithm algorithm)
    {
        if (algorithm != Algorithm)
        {
            throw new JwtKeyException($"The key is {Describe()}, which cannot sign {algorithm}; use {Algorithm}.");
        }

        return _rsa is not null
            ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ecdsa!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    public override string ToString() => $"JwtSigningKey({Describe()})";

    private string Describe() => _rsa is not null ? $"RSA {_rsa.KeySize}-bit" : "EC P-256";

    private static JwtSigningKey FromPkcs8(byte[] der)
    {
        // PKCS#8 names the algorithm inside; try RSA, then EC, and report one clear error if neither reads it.
        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(der, out _);
            return CheckRsa(rsa);
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
        }

        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportPkcs8PrivateKey(der, out _);
            return CheckEc(ecdsa);
        }
        catch (CryptographicException ex)
        {
            ecdsa.Dispose();
            throw new JwtKeyException("The PRIVATE KEY block is neither a readable RSA nor EC key (corrupt, or another key type such as Ed25519).", ex);
        }
    }

    private static JwtSigningKey FromRsa(byte[] der)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPrivateKey(der, out _);
            return CheckRsa(rsa);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new JwtKeyException("The RSA PRIVATE KEY block could not be read (corrupt or truncated).", ex);
        }
    }

    private static JwtSigningKey FromEc(byte[] der)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportECPrivateKey(der, out _);
            return CheckEc(ecdsa);
        }
        catch (CryptographicException ex)
        {
            ecdsa.Dispose();
            throw new JwtKeyException("The EC PRIVATE KEY block could not be read (corrupt or truncated).", ex);
        }
    }

    private static JwtSigningKey CheckRsa(RSA rsa)
    {
        if (rsa.KeySize < MinimumRsaBits)
        {
            var bits = rsa.KeySize;
            rsa.Dispose();
            throw new JwtKeyException($"The RSA key has {bits} bits; RS256 needs at least {MinimumRsaBits} (RFC 7518 §3.3).");
        }

        return new JwtSigningKey(rsa, null);
    }

    private static JwtSigningKey CheckEc(ECDsa ecdsa)
    {
        var curve = ecdsa.ExportParameters(includePrivateParameters: false).Curve;
        if (curve.Oid?.Value != P256Oid && curve.Oid?.FriendlyName is not ("nistP256" or "ECDSA_P256"))
        {
            var name = curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "an explicit curve";
            ecdsa.Dispose();
            throw new JwtKeyException($"The EC key is on {name}; ES256 needs P-256 (prime256v1).");
        }

        return new JwtSigningKey(null, ecdsa);
    }
}
