namespace AgentVault.Broker.Management;

/// <summary>Name rules of the configuration: resource names (stores, vaults, services, agents) and credential keys.</summary>
internal static class NameRules
{
    public const string NameHint = "lower-case letters, digits and dashes, starting with a letter, at most 63 characters";

    public const string KeyHint = "UPPER_SNAKE_CASE: upper-case letters, digits and underscores, starting with a letter, at most 128 characters";

    /// <summary>Store names that would make bootstrap references (<c>env:NAME</c>, <c>file:/path</c>) ambiguous.</summary>
    public static readonly IReadOnlySet<string> ReservedStoreNames = new HashSet<string>(StringComparer.Ordinal) { "env", "file" };

    /// <summary><c>^[a-z][a-z0-9-]{0,62}$</c></summary>
    public static bool IsName(string? name) =>
        name is { Length: > 0 and <= 63 } && char.IsAsciiLetterLower(name[0]) &&
        name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    /// <summary><c>^[A-Z][A-Z0-9_]*$</c>, at most 128 characters.</summary>
    public static bool IsCredentialKey(string? key) =>
        key is { Length: > 0 and <= 128 } && char.IsAsciiLetterUpper(key[0]) &&
        key.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_');
}
