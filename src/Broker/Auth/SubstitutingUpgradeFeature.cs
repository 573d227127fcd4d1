using Microsoft.AspNetCore.Http.Features;

namespace AgentVault.Broker.Auth;

/// <summary>HTTP/1.1 upgrade feature whose upgraded stream rewrites the agent's WebSocket text frames.</summary>
internal sealed class SubstitutingUpgradeFeature(IHttpUpgradeFeature inner, ByteReplacer replacer) : IHttpUpgradeFeature
{
    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync() => new WebSocketSubstitutingStream(await inner.UpgradeAsync(), replacer);
}
