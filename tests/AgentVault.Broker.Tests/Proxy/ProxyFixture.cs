using AgentVault.Testing.Upstream;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>One test CA and one HTTPS upstream shared by the proxy tests of a class (each test starts its own broker).</summary>
public sealed class ProxyFixture : IAsyncLifetime
{
    public TestCertificateAuthority UpstreamCa { get; } = new("Upstream Test CA");

    public TestUpstream Upstream { get; private set; } = null!;

    public async Task InitializeAsync() => Upstream = await TestUpstream.StartAsync(UpstreamCa);

    public async Task DisposeAsync()
    {
        await Upstream.DisposeAsync();
        UpstreamCa.Dispose();
    }
}
