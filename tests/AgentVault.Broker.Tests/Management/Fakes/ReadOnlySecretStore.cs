using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>A store that can only be read (like a secret manager plugin).</summary>
internal sealed class ReadOnlySecretStore : ISecretStore
{
    public Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken) => Task.FromResult(new SecretValue("x"));

    public Task TestAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
