using AgentVault.Testing.Fakes.Moto;

namespace AgentVault.Plugins.Tests.AwsSecretsManager;

/// <summary>One moto server (SigV4 enforced) for the tests of a class.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    private MotoServer? _server;

    public MotoServer Server => _server ?? throw new InvalidOperationException("moto is not started");

    public async Task InitializeAsync() => _server = await MotoServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
