using System.Security.Cryptography.X509Certificates;

namespace AgentVault.Broker.Tls;

/// <summary>The broker's local CA (ECDSA P-256): the public certificate for agents, and leaf certificates for intercepted hosts.</summary>
public interface ICertificateAuthority
{
    /// <summary>The CA certificate (public part only).</summary>
    X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate in PEM, as served at <c>GET /v1/ca.pem</c>.</summary>
    string CertificatePem { get; }

    /// <summary>A leaf certificate with private key for <paramref name="hostName"/> (DNS name or IP literal); cached.</summary>
    X509Certificate2 GetLeafCertificate(string hostName);
}
