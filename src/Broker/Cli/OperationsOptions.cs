using System.CommandLine;
using AgentVault.Broker.Operations;
using AgentVault.Broker.Security;

namespace AgentVault.Broker.Cli;

/// <summary>
/// The options with which backup, restore and doctor find the data the way the server does: <c>--data-dir</c>
/// (AGENT_VAULT_DATA_DIR), <c>--database-url</c> (AGENT_VAULT_DATABASE_URL, else the SQLite file in the data directory),
/// and what unlocks the data key: AGENT_VAULT_MASTER_PASSWORD or <c>--password-stdin</c>, else the key file.
/// </summary>
internal sealed class OperationsOptions
{
    public const string DatabaseUrlVariable = "AGENT_VAULT_DATABASE_URL";
    public const string MasterPasswordVariable = "AGENT_VAULT_MASTER_PASSWORD";

    public Option<string> DatabaseUrl { get; } = new("--database-url") { Description = "Database: sqlite:PATH or postgres://… (default: AGENT_VAULT_DATABASE_URL, else agent-vault.db in the data directory)", HelpName = "URL" };

    public Option<string> DataDir { get; } = new("--data-dir") { Description = "Data directory (default: AGENT_VAULT_DATA_DIR, else ~/.agent-vault)", HelpName = "DIR" };

    public Option<string> KeyFile { get; } = new("--key-file") { Description = "The --dev master key file (default: master.key in the data directory)", HelpName = "FILE" };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "Read the master password from the first line of stdin (else AGENT_VAULT_MASTER_PASSWORD)" };

    public void AddTo(Command command, bool unlock = true)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(DatabaseUrl);
        command.Options.Add(DataDir);
        if (unlock)
        {
            command.Options.Add(KeyFile);
            command.Options.Add(PasswordStdin);
        }
    }

    public string DataDirOf(ParseResult result) => Path.GetFullPath(result.GetValue(DataDir) ?? CliEnvironment.DataDir());

    public OperationsDatabase DatabaseOf(ParseResult result) =>
        OperationsDatabase.Open(result.GetValue(DatabaseUrl) ?? Environment.GetEnvironmentVariable(DatabaseUrlVariable), DataDirOf(result), "--database-url");

    public KeyUnlock UnlockOf(ParseResult result)
    {
        string? password;
        if (result.GetValue(PasswordStdin))
        {
            password = Console.In.ReadLine();
            if (string.IsNullOrEmpty(password))
            {
                throw new CliException("--password-stdin: no password on the first line of stdin", ExitCodes.Usage);
            }
        }
        else
        {
            password = Environment.GetEnvironmentVariable(MasterPasswordVariable) is { Length: > 0 } value ? value : null;
        }

        var keyFile = result.GetValue(KeyFile) is { } file ? Path.GetFullPath(file) : Path.Combine(DataDirOf(result), MasterKeyOptions.KeyFileName);
        return new KeyUnlock(password, keyFile);
    }
}
