
namespace AgentVault.Broker.Cli;

/// <summary>
/// Where the CLI finds the broker and its credentials: <c>AGENT_VAULT_ADDR</c>, the admin token
/// (<c>AGENT_VAULT_ADMIN_TOKEN</c>, else <c>&lt;data-dir&gt;/admin.token</c>), and on the agent side
/// <c>AGENT_VAULT_TOKEN</c> and <c>AGENT_VAULT_VAULT</c>.
/// </summary>
internal static class CliEnvironment
{
    public const string AddressVariable = "AGENT_VAULT_ADDR";
    public const string AdminTokenVariable = "AGENT_VAULT_ADMIN_TOKEN";
    public const string DataDirVariable = "AGENT_VAULT_DATA_DIR";
    public const string AgentTokenVariable = "AGENT_VAULT_TOKEN";
    public const string VaultVariable = "AGENT_VAULT_VAULT";
    public const string ConfigDirVariable = "AGENT_VAULT_CONFIG_DIR";
    public const string DefaultAddress = "http://127.0.0.1:14321";

    /// <summary>The management API address, always ending with a slash so relative paths keep any prefix.</summary>
    public static Uri ApiAddress()
    {
        var text = Get(AddressVariable) ?? DefaultAddress;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new CliException($"{AddressVariable} must be an http:// or https:// URL without credentials, e.g. {DefaultAddress}", ExitCodes.Usage);
        }

        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    public static string DataDir() =>
        Get(DataDirVariable) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".agent-vault");

    public static string AdminTokenFile() => Path.Combine(DataDir(), "admin.token");

    /// <summary>
    /// The token management commands send, and where it came from (for error messages; never the value):
    /// <c>AGENT_VAULT_ADMIN_TOKEN</c>, else the session of <c>agent-vault login</c> for this address, else
    /// <c>&lt;data-dir&gt;/admin.token</c>.
    /// </summary>
    public static (string Token, string Source)? FindAdminToken()
    {
        var fromEnv = Get(AdminTokenVariable);
        if (fromEnv is not null)
        {
            return (fromEnv, AdminTokenVariable);
        }

        if (CliSession.Load() is { } session && session.Address == ApiAddress().AbsoluteUri)
        {
            return (session.Token, $"the session of agent-vault login ({session.Email}; {CliSession.FilePath()})");
        }

        var file = AdminTokenFile();
        try
        {
            var text = File.ReadAllText(file).Trim();
            return text.Length == 0 ? null : (text, file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"cannot read the admin token file {file}: permission denied (set {AdminTokenVariable} instead)");
        }
    }

    public static (string Token, string Source) RequireAdminToken() =>
        FindAdminToken() ?? throw new CliException(
            $"not signed in: run agent-vault login, or set {AdminTokenVariable}, or run on the broker host where {AdminTokenFile()} exists (set {DataDirVariable} if the data directory is elsewhere)");

    public static string? AgentToken() => Get(AgentTokenVariable);

    /// <summary><c>$AGENT_VAULT_CONFIG_DIR</c>, else <c>$XDG_CONFIG_HOME/agent-vault</c>, else <c>~/.config/agent-vault</c> (SPEC §14).</summary>
    public static string ConfigDir() =>
        Get(ConfigDirVariable)
        ?? (Get("XDG_CONFIG_HOME") is { } xdg ? Path.Combine(xdg, "agent-vault") : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "agent-vault"));

    public static string? Vault() => Get(VaultVariable);

    private static string? Get(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
