namespace AgentVault.Broker.Model;

/// <summary>
/// An immutable snapshot of everything the data path needs: configuration and token hashes. Replaced, never mutated.
/// <see cref="Version"/> is the change version (every write, tokens included); <see cref="ConfigVersion"/> the configuration version
/// (configuration writes only), which reads of configuration resources return as their <c>ETag</c>.
/// </summary>
public sealed record ConfigState(long Version, ConfigDocument Config, IReadOnlyList<TokenRecord> Tokens)
{
    public long ConfigVersion { get; init; }

    public static ConfigState Empty { get; } = new(0, new ConfigDocument(), []);
}
