using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Auth;

/// <summary>HTTP/2 extended CONNECT (RFC 8441) feature whose accepted stream rewrites the agent's WebSocket text frames.</summary>
internal sealed class SubstitutingExtendedConnectFeature(IHttpExtendedConnectFeature inner, ByteReplacer replacer) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => new WebSocketSubstitutingStream(await inner.AcceptAsync(), replacer);
}
