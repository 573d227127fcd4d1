using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Forwarding;

/// <summary>HTTP/2 extended CONNECT (RFC 8441) feature whose accepted stream redacts the upstream's WebSocket frames.</summary>
internal sealed class RedactingExtendedConnectFeature(IHttpExtendedConnectFeature inner, Redactor redactor, bool strict) : IHttpExtendedConnectFeature
{
    public bool IsExtendedConnect => inner.IsExtendedConnect;

    public string? Protocol => inner.Protocol;

    public async ValueTask<Stream> AcceptAsync() => new WebSocketRedactingStream(await inner.AcceptAsync(), new WebSocketFrameRedactor(redactor, strict));
}
