namespace AgentVault.Broker.WebConsole;

/// <summary>
/// The shell lines a person types to use a token just created (docs/cli.md, "run and env"): the CLI takes the token and the
/// vault from <c>AGENT_VAULT_TOKEN</c> and <c>AGENT_VAULT_VAULT</c> (or <c>--vault</c>) and the API address from
/// <c>AGENT_VAULT_ADDR</c>.
/// </summary>
internal sealed record TokenSnippets(string Run, string Env)
{
    public static TokenSnippets For(string apiUrl, string token, string? vault)
    {
        var addr = Quote(apiUrl);
        var secret = Quote(token);
        var vaultFlag = vault is null ? string.Empty : $" --vault {Quote(vault)}";
        var vaultVariable = vault is null ? string.Empty : $" AGENT_VAULT_VAULT={Quote(vault)}";
        return new TokenSnippets(
            $"AGENT_VAULT_ADDR={addr} AGENT_VAULT_TOKEN={secret} agent-vault run{vaultFlag} -- claude",
            $"export AGENT_VAULT_ADDR={addr} AGENT_VAULT_TOKEN={secret}{vaultVariable}\neval \"$(agent-vault env)\"");
    }

    /// <summary>As is when every character is plainly safe for sh (tokens are base64url), else single-quoted (an IPv6 address has brackets).</summary>
    internal static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/' or '@' or '%' or '+' or '=')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
