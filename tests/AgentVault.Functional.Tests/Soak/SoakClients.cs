using System.Net;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// An agent's clients for one vault, each on its own connection pool through the proxy: HTTP/1.1 kept alive (long-lived
/// tunnels), HTTP/2 (one long-lived tunnel, many streams), and HTTP/1.1 sent with <c>Connection: close</c> so that every
/// request opens a new tunnel (CONNECT, proxy authentication, TLS).
/// </summary>
internal sealed class SoakClients : IDisposable
{
    public SoakClients(BrokerEnvironment broker, string token, string vault)
    {
        KeepAlive = broker.CreateClient(token, vault);
        Http2 = broker.CreateClient(token, vault, HttpVersion.Version20);
        NewConnection = broker.CreateClient(token, vault);
    }

    public HttpClient KeepAlive { get; }

    public HttpClient Http2 { get; }

    public HttpClient NewConnection { get; }

    public void Dispose()
    {
        KeepAlive.Dispose();
        Http2.Dispose();
        NewConnection.Dispose();
    }
}
