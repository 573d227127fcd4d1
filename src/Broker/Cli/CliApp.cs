using System.CommandLine;
using System.CommandLine.Parsing;
using AgentVault.Broker.Cli.Agent;
using AgentVault.Broker.Cli.Commands;
using AgentVault.Broker.Hosting;

namespace AgentVault.Broker.Cli;

/// <summary>The <c>agent-vault</c> command line: the server command and every client command of the management API.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = CreateRootCommand();
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            return ReportUsageErrors(parseResult);
        }

        var configuration = new InvocationConfiguration
        {
            // Commands map their own failures to exit codes; an unexpected exception is a bug and should crash loudly.
            EnableDefaultExceptionHandler = false,

            // The server handles SIGINT/SIGTERM through the host's lifetime and `run` forwards them to its child;
            // the parser's own handler would race both and turn a graceful stop into a non-zero exit.
            ProcessTerminationTimeout = null,
        };

        try
        {
            return await parseResult.InvokeAsync(configuration, CancellationToken.None).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            foreach (var line in e.Lines)
            {
                await Console.Error.WriteLineAsync($"error: {line}").ConfigureAwait(false);
            }

            return e.ExitCode;
        }
    }

    internal static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("Agent Vault: an HTTP credential proxy for AI agents. The same binary runs the broker and manages it.")
        {
            ServerCommandFactory.Create(),
            ApplyCommands.CreateApply(),
            ApplyCommands.CreateExport(),
            StoreCommands.Create(),
            SecretCommands.Create(),
            VaultCommands.Create(),
            AgentCommands.Create(),
            TokenCommands.Create(),
            ProposalCommands.Create(),
            ApprovalCommands.Create(),
            LogsCommand.Create(),
            AuditCommand.Create(),
            SessionCommands.CreateSession(),
            SessionCommands.CreateAdmin(),
            LoginCommands.CreateLogin(),
            LoginCommands.CreateLogout(),
            LoginCommands.CreateWhoAmI(),
            CaCommands.Create(),
            PluginsCommands.Create(),
            CatalogCommands.Create(),
            NotificationCommands.Create(),
            RunCommand.Create(),
            EnvCommand.Create(),
            MigrateCommand.Create(),
            BackupCommand.Create(),
            RestoreCommand.Create(),
            DoctorCommand.Create(),
            VersionCommand.Create(),
            HealthcheckCommand.Create(),
        };
        return root;
    }

    private static int ReportUsageErrors(ParseResult parseResult)
    {
        // A mistyped command gives the parser three errors (no command, and each word unrecognised): say it once, with a guess.
        if (UnknownCommand(parseResult) is { } unknown)
        {
            Console.Error.WriteLine($"error: {unknown}");
        }
        else
        {
            foreach (var error in parseResult.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }
        }

        var path = new List<string>();
        for (SymbolResult? result = parseResult.CommandResult; result is CommandResult command; result = command.Parent)
        {
            if (command.Parent is not null)
            {
                path.Insert(0, command.Command.Name);
            }
        }

        var helpCommand = string.Join(' ', ["agent-vault", .. path, "--help"]);
        Console.Error.WriteLine($"run '{helpCommand}' for usage");
        return ExitCodes.Usage;
    }

    /// <summary>
    /// One clear line for a missing or mistyped command: "unknown command 'vault lisst' (did you mean 'vault list'?)" or
    /// "'vault' needs a command: …", instead of the parser's "Required command was not provided" plus one error per word.
    /// </summary>
    private static string? UnknownCommand(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        if (command.Subcommands.Count == 0 || parseResult.CommandResult.Tokens.Count > 0)
        {
            return null;
        }

        var prefix = new List<string>();
        for (SymbolResult? result = parseResult.CommandResult; result is CommandResult c && c.Parent is not null; result = c.Parent)
        {
            prefix.Insert(0, c.Command.Name);
        }

        var names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (parseResult.UnmatchedTokens.Count == 0)
        {
            return prefix.Count == 0 ? null : $"'{string.Join(' ', prefix)}' needs a command: {string.Join(", ", names)}";
        }

        var typed = parseResult.UnmatchedTokens[0];
        if (typed.StartsWith('-'))
        {
            return null;
        }

        var guess = Management.Spelling.Closest(typed, names);
        var said = string.Join(' ', [.. prefix, typed]);
        return $"unknown command '{said}'{(guess is null ? string.Empty : $" (did you mean '{string.Join(' ', [.. prefix, guess])}'?)")}";
    }
}
