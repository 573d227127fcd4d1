using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Forwarding;

/// <summary>HTTP/1.1 upgrade feature whose upgraded stream redacts the upstream's WebSocket frames before the agent gets them.</summary>
internal sealed class RedactingUpgradeFeature(IHttpUpgradeFeature inner, Redactor redactor, bool strict) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => new WebSocketRedactingStream(await inner.UpgradeAsync(), new WebSocketFrameRedactor(redactor, strict));
}
