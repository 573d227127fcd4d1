using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>Store type <c>fake</c>; schemes <c>bearer</c> (token), <c>basic</c> (username, password), <c>passthrough</c>.</summary>
internal sealed class FakePluginCatalog : IPluginCatalog
{
    public IReadOnlyList<PluginInfo> Plugins { get; } =
    [
        new("builtin", "1.0.0", "loaded", null, [], ["bearer", "basic", "passthrough"]),
        new("Broken", null, "failed", "could not load Broken.dll", [], []),
    ];

    public IReadOnlyDictionary<string, ISecretStoreFactory> StoreTypes { get; } =
        new Dictionary<string, ISecretStoreFactory> { ["fake"] = new FakeStoreFactory("fake") };

    public IReadOnlyDictionary<string, IAuthSchemeFactory> AuthSchemes { get; } = new Dictionary<string, IAuthSchemeFactory>
    {
        ["bearer"] = new FakeAuthSchemeFactory("bearer", "token"),
        ["basic"] = new FakeAuthSchemeFactory("basic", "username", "password"),
        ["passthrough"] = new FakeAuthSchemeFactory("passthrough"),
        ["exploding"] = new FakeAuthSchemeFactory("exploding") { ThrowsOnCreate = true },
    };
}
