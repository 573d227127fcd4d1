using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using AgentVault.Broker.Tls;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Turns the CA's cached leaf certificates into <see cref="SslStreamCertificateContext"/>s, built once per certificate instance
/// (when the CA renews a leaf, the new instance gets a new context and the old one is collected with it).
/// </summary>
internal sealed class LeafCertificateCache
{
    private readonly ICertificateAuthority _authority;
    private readonly ConditionalWeakTable<X509Certificate2, SslStreamCertificateContext> _contexts = [];

    public LeafCertificateCache(ICertificateAuthority authority) => _authority = authority;

    public SslStreamCertificateContext Get(string hostName)
    {
        var leaf = _authority.GetLeafCertificate(hostName);
        return _contexts.GetValue(leaf, static cert => SslStreamCertificateContext.Create(cert, additionalCertificates: null, offline: true));
    }
}
