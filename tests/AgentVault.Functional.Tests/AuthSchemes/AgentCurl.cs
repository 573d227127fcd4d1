using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>curl as the agent through the broker (proxy credentials, the broker's CA) with a dummy bearer token of its own.</summary>
internal static class AgentCurl
{
    /// <summary>Sends one request as the agent (<paramref name="token"/>:<paramref name="vault"/>); <paramref name="extra"/> are more curl arguments (method, data, headers).</summary>
    public static async Task<CurlResponse> SendAsync(BrokerEnvironment broker, string token, string vault, string url, params string[] extra) =>
        CurlResponse.Parse(await broker.CurlAsync(token, vault, [.. CurlResponse.Arguments, "-H", "Authorization: Bearer agent-dummy-token", .. extra, url]));
}
