using System.Collections.Concurrent;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>Resolves "vault/KEY" from a dictionary; a missing key fails like an unavailable store.</summary>
internal sealed class FakeCredentialResolver : ICredentialResolver
{
    public ConcurrentDictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    // The fake has no bindings: every snapshot resolves from the same dictionary.
    public ValueTask<string> ResolveAsync(CredentialBindings bindings, string vault, string key, CancellationToken cancellationToken) =>
        ResolveAsync(vault, key, cancellationToken);

    public ValueTask<string> ResolveAsync(string vault, string key, CancellationToken cancellationToken) =>
        Values.TryGetValue(vault + "/" + key, out var value)
            ? ValueTask.FromResult(value)
            : throw new CredentialUnavailableException(vault, key, "local", SecretErrorCategory.Unavailable,
                $"credential '{key}' of vault '{vault}' could not be resolved from store 'local': store unavailable");
}
