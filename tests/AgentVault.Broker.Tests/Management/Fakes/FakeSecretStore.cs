using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>A writable store in memory; <see cref="TestError"/> makes <c>TestAsync</c> fail with that message.</summary>
internal sealed class FakeSecretStore : IWritableSecretStore
{
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public string? TestError { get; set; }

    public Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken) =>
        Values.TryGetValue(request.Path, out var v)
            ? Task.FromResult(new SecretValue(v))
            : throw new SecretStoreException(SecretErrorCategory.NotFound, $"no secret '{request.Path}'");

    public Task TestAsync(CancellationToken cancellationToken) =>
        TestError is null ? Task.CompletedTask : throw new SecretStoreException(SecretErrorCategory.Unavailable, TestError);

    public Task SetSecretAsync(string name, string value, CancellationToken cancellationToken)
    {
        Values[name] = value;
        return Task.CompletedTask;
    }

    public Task<bool> DeleteSecretAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Values.Remove(name));

    public Task<IReadOnlyList<string>> ListSecretNamesAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<string>>([.. Values.Keys]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
