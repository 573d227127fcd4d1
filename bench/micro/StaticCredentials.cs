using AgentVault.Abstractions.Auth;

namespace AgentVault.Bench.Micro;

/// <summary>Credentials already resolved (the broker's credential cache hit): substitution cost without store latency.</summary>
internal sealed class StaticCredentials(IReadOnlyDictionary<string, string> values) : ICredentialAccessor
{
    public ValueTask<string> GetAsync(string key, CancellationToken cancellationToken) => ValueTask.FromResult(values[key]);
}
