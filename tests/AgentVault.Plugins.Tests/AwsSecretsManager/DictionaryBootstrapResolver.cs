using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.Tests.AwsSecretsManager;

/// <summary>Resolves bootstrap references from a dictionary (reference → value), counting reads; unknown references fail as the broker's would.</summary>
internal sealed class DictionaryBootstrapResolver : IBootstrapSecretResolver
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private int _reads;

    public int Reads => _reads;

    public string this[string reference]
    {
        set => _values[reference] = value;
    }

    public ValueTask<string> ResolveAsync(string reference, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        return _values.TryGetValue(reference, out var value)
            ? ValueTask.FromResult(value)
            : throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"cannot resolve {reference}");
    }
}
