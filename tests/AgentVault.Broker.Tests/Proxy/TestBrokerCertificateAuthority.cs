using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using AgentVault.Broker.Tls;
using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>The broker's CA for in-process tests: leaves from a per-run test CA, cached per name; records the names asked for.</summary>
internal sealed class TestBrokerCertificateAuthority(TestCertificateAuthority ca) : ICertificateAuthority
{
    private readonly ConcurrentDictionary<string, X509Certificate2> _leaves = new(StringComparer.Ordinal);

    public X509Certificate2 Certificate => ca.Certificate;

    public string CertificatePem => ca.Certificate.ExportCertificatePem();

    public ConcurrentQueue<string> Requested { get; } = new();

    public X509Certificate2 GetLeafCertificate(string hostName)
    {
        Requested.Enqueue(hostName);
        return _leaves.GetOrAdd(hostName, name => ca.IssueServerCertificate(name));
    }
}
