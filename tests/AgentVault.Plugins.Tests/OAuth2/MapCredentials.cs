using System.Collections.Concurrent;
using AgentVault.Abstractions.Auth;

namespace AgentVault.Plugins.Tests.OAuth2;

/// <summary>The vault's credentials as a mutable map (a change models rotation in the store); counts reads.</summary>
internal sealed class MapCredentials : ICredentialAccessor
{
    private readonly ConcurrentDictionary<string, string> _values;

    public MapCredentials(IDictionary<string, string> values) => _values = new(values);

    public void Set(string key, string value) => _values[key] = value;

    public ValueTask<string> GetAsync(string key, CancellationToken cancellationToken) =>
        _values.TryGetValue(key, out var value)
            ? ValueTask.FromResult(value)
            : throw new AuthSchemeException($"Credential {key} is not defined.", key);
}
