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
            ApprovalCommands.Create(),
            LogsCommand.Create(),
            CaCommands.Create(),
            PluginsCommands.Create(),
            RunCommand.Create(),
            EnvCommand.Create(),
            VersionCommand.Create(),
        };
        return root;
    }

    private static int ReportUsageErrors(ParseResult parseResult)
    {
        foreach (var error in parseResult.Errors)
        {
            Console.Error.WriteLine($"error: {error.Message}");
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
}
