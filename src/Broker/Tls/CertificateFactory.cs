using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentVault.Broker.Tls;

/// <summary>Mints the local CA and the leaf certificates it signs (ECDSA P-256, SHA-256).</summary>
internal static class CertificateFactory
{
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);
    public static readonly TimeSpan LeafValidity = TimeSpan.FromDays(30);

    // Leaves start an hour in the past so a client with a slightly slow clock accepts them.
    public static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);

    public static X509Certificate2 CreateCa(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var request = new CertificateRequest($"CN=Agent Vault Local CA {suffix}, O=Agent Vault", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(now - ClockSkew, now + CaValidity);
    }

    /// <summary>A leaf for a DNS name or IP literal, signed by <paramref name="ca"/> (which must carry its private key).</summary>
    public static X509Certificate2 CreateLeaf(X509Certificate2 ca, string hostName, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var isIp = IPAddress.TryParse(hostName, out var ip);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + (isIp ? ip!.ToString() : hostName).Replace(",", string.Empty, StringComparison.Ordinal)), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        if (isIp)
        {
            san.AddIpAddress(ip!);
        }
        else
        {
            san.AddDnsName(hostName);
        }

        request.CertificateExtensions.Add(san.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));

        var notBefore = now - ClockSkew;
        var notAfter = now + LeafValidity;
        if (notAfter > ca.NotAfter)
        {
            notAfter = ca.NotAfter;
        }

        using var signed = request.Create(ca, notBefore, notAfter, NewSerial());
        using var withKey = signed.CopyWithPrivateKey(key);

        // Re-import through PKCS#12: on Linux SslStream needs a certificate whose key is not an ephemeral handle.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive
        serial[0] |= 0x01; // and never shortened by a leading zero
        return serial;
    }
}
