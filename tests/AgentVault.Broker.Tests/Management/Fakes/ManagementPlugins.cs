using AgentVault.Broker.Tests.Hosting;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>
/// The catalog the management tests run against: store type <c>fake</c>; schemes <c>bearer</c> (token), <c>basic</c>
/// (username, password), <c>passthrough</c> and <c>exploding</c> (throws when created); a loaded and a failed plugin.
/// </summary>
internal static class ManagementPlugins
{
    public static FakePluginCatalog Catalog() => new(
        [
            new FakeAuthSchemeFactory("bearer", "token"),
            new FakeAuthSchemeFactory("basic", "username", "password"),
            new FakeAuthSchemeFactory("passthrough"),
            new FakeAuthSchemeFactory("exploding") { ThrowsOnCreate = true },
        ],
        [new FakeStoreFactory("fake")],
        [
            new("builtin", "1.0.0", "loaded", null, [], ["bearer", "basic", "passthrough"]),
            new("Broken", null, "failed", "could not load Broken.dll", [], []),
        ]);
}
