namespace AgentVault.Broker.Tests.Management;

/// <summary>One management test host shared by the tests of a class that do not change state.</summary>
public sealed class ManagementHostFixture : IAsyncLifetime
{
    internal ManagementTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ManagementTestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
