using AgentVault.Testing.Fakes.Azure;

namespace AgentVault.Plugins.Tests.AzureKeyVault;

/// <summary>One fake Key Vault + Entra ID endpoint for the tests of a class.</summary>
public sealed class FakeAzureFixture : IAsyncLifetime
{
    private FakeAzureKeyVault? _vault;

    public FakeAzureKeyVault Vault => _vault ?? throw new InvalidOperationException("the fake is not started");

    public async Task InitializeAsync() => _vault = await FakeAzureKeyVault.StartAsync();

    public async Task DisposeAsync()
    {
        if (_vault is not null)
        {
            await _vault.DisposeAsync();
        }
    }
}
