using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// The TLS features Kestrel reads after our handshake inside a tunnel: the negotiated ALPN protocol decides HTTP/2 vs
/// HTTP/1.1, and the protocol version lets HTTP/2 accept the connection. No client certificates are requested.
/// </summary>
internal sealed class TunnelTlsFeature : ITlsConnectionFeature, ITlsHandshakeFeature, ITlsApplicationProtocolFeature
{
    private readonly SslStream _ssl;

    public TunnelTlsFeature(SslStream ssl, string hostName)
    {
        _ssl = ssl;
        HostName = hostName;
        ApplicationProtocol = ssl.NegotiatedApplicationProtocol.Protocol;
        Protocol = ssl.SslProtocol;
        NegotiatedCipherSuite = ssl.NegotiatedCipherSuite;
    }

    public X509Certificate2? ClientCertificate { get; set; }

    public ReadOnlyMemory<byte> ApplicationProtocol { get; }

    public SslProtocols Protocol { get; }

    public TlsCipherSuite? NegotiatedCipherSuite { get; }

    public string HostName { get; }

#pragma warning disable SYSLIB0058 // Required members of ITlsHandshakeFeature; values come from the same SslStream.
    public CipherAlgorithmType CipherAlgorithm => _ssl.CipherAlgorithm;

    public int CipherStrength => _ssl.CipherStrength;

    public HashAlgorithmType HashAlgorithm => _ssl.HashAlgorithm;

    public int HashStrength => _ssl.HashStrength;

    public ExchangeAlgorithmType KeyExchangeAlgorithm => _ssl.KeyExchangeAlgorithm;

    public int KeyExchangeStrength => _ssl.KeyExchangeStrength;
#pragma warning restore SYSLIB0058

    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult<X509Certificate2?>(null);
}
