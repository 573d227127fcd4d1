using System.Collections.Concurrent;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Testing.Fakes;

/// <summary>A bootstrap resolver for plugin tests: references map to values that a test may change (rotation) at any time.</summary>
public sealed class MapBootstrapResolver : IBootstrapSecretResolver
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    private int _resolutions;

    /// <summary>How many references were resolved (or tried), from any thread.</summary>
    public int Resolutions => Volatile.Read(ref _resolutions);

    public string this[string reference]
    {
        set => _values[reference] = value;
    }

    public ValueTask<string> ResolveAsync(string reference, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _resolutions);
        return _values.TryGetValue(reference, out var value)
            ? ValueTask.FromResult(value)
            : throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"reference '{reference}' cannot be resolved");
    }
}
