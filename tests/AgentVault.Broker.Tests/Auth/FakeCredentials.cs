using AgentVault.Abstractions.Auth;

namespace AgentVault.Broker.Tests.Auth;

/// <summary>A dictionary-backed credential accessor that records which keys were asked for.</summary>
internal sealed class FakeCredentials(Dictionary<string, string> values) : ICredentialAccessor
{
    public List<string> Requested { get; } = [];

    public ValueTask<string> GetAsync(string key, CancellationToken cancellationToken)
    {
        Requested.Add(key);
        return values.TryGetValue(key, out var value)
            ? ValueTask.FromResult(value)
            : throw new AuthSchemeException($"credential {key} is not defined", key);
    }
}
