using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// Resolves a store's bootstrap references: <c>env:NAME</c>, <c>file:/abs/path</c> (one trailing newline trimmed) and
/// <c>store:path#field</c> through the credential resolver (cached like any credential). A chain of stores whose
/// bootstrap references lead back to a store already on the chain is refused instead of dead-locking.
/// </summary>
internal sealed class BootstrapSecretResolver : IBootstrapSecretResolver
{
    private static readonly AsyncLocal<string[]?> Chain = new();

    private readonly string _storeName;
    private readonly Func<IReferenceResolver?> _resolver;

    public BootstrapSecretResolver(string storeName, Func<IReferenceResolver?> resolver)
    {
        _storeName = storeName;
        _resolver = resolver;
    }

    public async ValueTask<string> ResolveAsync(string reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = reference[4..];
            var value = name.Length == 0 ? null : Environment.GetEnvironmentVariable(name);
            return value ?? throw Invalid($"environment variable '{name}' is not set");
        }

        if (reference.StartsWith("file:", StringComparison.Ordinal))
        {
            return await ReadFileAsync(reference[5..], cancellationToken).ConfigureAwait(false);
        }

        if (!CredentialReference.TryParse(reference, out var parsed, out var error))
        {
            throw Invalid($"bootstrap reference is not 'env:NAME', 'file:/path' or 'store:path#field': {error}");
        }

        var chain = Chain.Value ?? [];
        if (parsed.Store == _storeName || Array.IndexOf(chain, parsed.Store) >= 0)
        {
            throw Invalid($"bootstrap references form a cycle: {string.Join(" -> ", chain.Append(_storeName).Append(parsed.Store))}");
        }

        var resolver = _resolver() ?? throw Invalid("store references are not available (no credential resolver)");
        Chain.Value = [.. chain, _storeName];
        try
        {
            return await resolver.ResolveReferenceAsync(parsed, cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException ex)
        {
            throw new SecretStoreException(ex.Category, $"bootstrap reference into store '{parsed.Store}' failed: {ex.Message}", ex);
        }
        finally
        {
            Chain.Value = chain;
        }
    }

    private static async Task<string> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            throw Invalid($"bootstrap file reference '{path}' must be an absolute path");
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid($"cannot read bootstrap file '{path}': {ex.GetType().Name}");
        }

        if (text.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return text[..^2];
        }

        return text.EndsWith('\n') ? text[..^1] : text;
    }

    private static SecretStoreException Invalid(string message) => new(SecretErrorCategory.InvalidConfiguration, message);
}
