using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentVault.Broker.Outbound;

/// <summary>
/// Upstream certificate validation: the system verdict, or, when only the chain failed, a chain built to one of the
/// <c>--upstream-ca</c> roots. The host name check is never waived; there is no switch that disables verification.
/// </summary>
internal sealed class OutboundTrust
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private readonly X509Certificate2Collection _roots;

    public OutboundTrust(X509Certificate2Collection roots) => _roots = roots;

    /// <summary>Loads every certificate of every PEM file; a missing or empty file stops start-up.</summary>
    public static OutboundTrust Load(IEnumerable<string> pemFiles)
    {
        var roots = new X509Certificate2Collection();
        foreach (var file in pemFiles)
        {
            var before = roots.Count;
            try
            {
                roots.ImportFromPemFile(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new InvalidOperationException($"--upstream-ca {file}: cannot read the PEM certificate(s): {ex.Message}", ex);
            }

            if (roots.Count == before)
            {
                throw new InvalidOperationException($"--upstream-ca {file}: the file holds no PEM certificate.");
            }
        }

        return new OutboundTrust(roots);
    }

    public bool HasExtraRoots => _roots.Count > 0;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Name mismatch or no certificate is final; only an untrusted chain may be rescued by the extra roots.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || _roots.Count == 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        if (chain is not null)
        {
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        try
        {
            return custom.Build(leaf);
        }
        finally
        {
            foreach (var element in custom.ChainElements)
            {
                if (!ReferenceEquals(element.Certificate, leaf))
                {
                    element.Certificate.Dispose();
                }
            }
        }
    }
}
