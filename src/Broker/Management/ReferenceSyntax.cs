namespace AgentVault.Broker.Management;

/// <summary>
/// Checks the shape of credential references (<c>store:path[?query][#field]</c>) and of bootstrap secret references in store
/// settings (<c>env:NAME</c>, <c>file:/abs/path</c>, <c>store:path</c>). Bootstrap problems never repeat the checked value.
/// </summary>
internal static class ReferenceSyntax
{
    /// <summary>Parses a credential reference and returns its store name.</summary>
    public static bool TryGetStore(string? reference, out string store, out string error)
    {
        store = string.Empty;
        if (!Secrets.CredentialReference.TryParse(reference, out var parsed, out error))
        {
            return false;
        }

        store = parsed.Store;
        return true;
    }

    /// <summary>True when <paramref name="value"/> is a bootstrap reference usable by store <paramref name="ownStore"/>.</summary>
    public static bool IsBootstrapReference(string value, string ownStore, Func<string, bool> storeExists, out string? problem)
    {
        problem = null;
        if (value.StartsWith("env:", StringComparison.Ordinal))
        {
            var name = value[4..];
            var ok = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
            problem = ok ? null : "env: must be followed by an environment variable name (letters, digits, underscores)";
            return ok;
        }

        if (value.StartsWith("file:", StringComparison.Ordinal))
        {
            var ok = value.Length > 6 && value[5] == '/';
            problem = ok ? null : "file: must be followed by an absolute path (file:/run/secrets/name)";
            return ok;
        }

        if (!TryGetStore(value, out var store, out _))
        {
            return false;
        }

        if (store == ownStore)
        {
            problem = "a store cannot take its own secrets from itself";
            return false;
        }

        return storeExists(store);
    }
}
