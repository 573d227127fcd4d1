using AgentVault.Abstractions.Secrets;

namespace HelloStore;

/// <summary>Answers every path with "&lt;greeting&gt;, &lt;path&gt;". A real store would call its secret manager here, and never cache.</summary>
internal sealed class HelloSecretStore : ISecretStore
{
    private readonly string _greeting;

    public HelloSecretStore(string greeting) => _greeting = greeting;

    public Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Path == "missing")
        {
            // Report failures with a category; the broker decides about caching and status codes.
            throw new SecretStoreException(SecretErrorCategory.NotFound, "there is no secret at 'missing'");
        }

        return Task.FromResult(new SecretValue($"{_greeting}, {request.Path}"));
    }

    public Task TestAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
