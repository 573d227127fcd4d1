using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>A remembered not-found answer of a store, repeated until <see cref="Until"/> without asking the store again.</summary>
internal sealed record NegativeResult(DateTimeOffset Until, string Message)
{
    public SecretStoreException ToException() => new(SecretErrorCategory.NotFound, Message);
}
