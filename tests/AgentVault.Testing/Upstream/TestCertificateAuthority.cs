using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentVault.Testing.Upstream;

/// <summary>
/// A CA created per test run (ECDSA P-256) that issues server certificates for test upstream names such as
/// <c>api.upstream.test</c>; its PEM file is what the broker gets as <c>--upstream-ca</c>. Never installed machine-wide.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private readonly string _directory;

    public TestCertificateAuthority(string name = "Agent Vault Test CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(7));
        _directory = Directory.CreateTempSubdirectory("av-test-ca-").FullName;
        PemPath = Path.Combine(_directory, "test-ca.pem");
        File.WriteAllText(PemPath, Certificate.ExportCertificatePem());
    }

    /// <summary>The CA certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A PEM file holding the CA certificate (for <c>--upstream-ca</c>, <c>CURL_CA_BUNDLE</c>, …).</summary>
    public string PemPath { get; }

    /// <summary>Issues a server certificate (with private key, usable by SslStream on Linux) for DNS names and IP addresses.</summary>
    public X509Certificate2 IssueServerCertificate(params string[] names)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (System.Net.IPAddress.TryParse(name, out var ip))
            {
                san.AddIpAddress(ip);
            }
            else
            {
                san.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var issued = request.Create(Certificate, now.AddHours(-1), now.AddDays(2), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A handler that trusts only this CA (e.g. for the HttpClient a test hands to a plugin talking to a fake).</summary>
    public SocketsHttpHandler CreateTrustingHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validates(certificate, errors) },
    };

    /// <summary>Validates a server certificate against this CA only (custom root trust), plus the host name check SslStream did.</summary>
    public bool Validates(X509Certificate? certificate, SslPolicyErrors errors) => ValidateWithRoot(Certificate, certificate, errors);

    /// <summary>Validates a server certificate against <paramref name="root"/> only; name mismatches still fail.</summary>
    public static bool ValidateWithRoot(X509Certificate2 root, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException ex)
        {
            // A client may still hold the PEM file open; the temp folder is cleaned by the OS later.
            Console.Error.WriteLine("test CA cleanup: " + ex.Message);
        }
    }
}
