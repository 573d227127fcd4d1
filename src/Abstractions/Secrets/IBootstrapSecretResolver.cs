namespace AgentVault.Abstractions.Secrets;

/// <summary>Resolves a bootstrap secret reference (<c>env:NAME</c>, <c>file:/path</c>, or <c>store:path#field</c>) to its value.</summary>
public interface IBootstrapSecretResolver
{
    /// <summary>Resolves <paramref name="reference"/>; throws <see cref="SecretStoreException"/> with category <see cref="SecretErrorCategory.InvalidConfiguration"/> when it cannot.</summary>
    ValueTask<string> ResolveAsync(string reference, CancellationToken cancellationToken);
}
