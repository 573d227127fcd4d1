using AgentVault.Abstractions.Secrets;
using AgentVault.Testing.Fakes.Azure;

namespace AgentVault.Plugins.Tests.AzureKeyVault;

public sealed class AzureUnavailableStoreTests
{
    [Fact]
    public async Task StoppedVault_FailsUnavailable()
    {
        await using var fake = await FakeAzureKeyVault.StartAsync();
        fake.SetSecret("stripe-key", "v");
        await using var azure = AzureStoreHarness.WithClientSecret(fake);
        Assert.Equal("v", (await azure.GetAsync("stripe-key")).Value);

        await fake.StopAsync();
        var error = await Assert.ThrowsAsync<SecretStoreException>(() => azure.GetAsync("stripe-key"));

        Assert.Equal(SecretErrorCategory.Unavailable, error.Category);
    }

    [Fact]
    public async Task UnreachableTokenEndpoint_FailsUnavailable()
    {
        await using var fake = await FakeAzureKeyVault.StartAsync();
        await using var azure = AzureStoreHarness.WithClientSecret(fake);
        await fake.StopAsync();

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => azure.GetAsync("stripe-key"));

        Assert.Equal(SecretErrorCategory.Unavailable, error.Category);
    }
}
