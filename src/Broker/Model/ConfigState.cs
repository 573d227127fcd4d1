namespace AgentVault.Broker.Model;

/// <summary>An immutable snapshot of everything the data path needs: configuration and token hashes. Replaced, never mutated.</summary>
public sealed record ConfigState(long Version, ConfigDocument Config, IReadOnlyList<TokenRecord> Tokens)
{
    public static ConfigState Empty { get; } = new(0, new ConfigDocument(), []);
}
