using System.CommandLine;
using AgentVault.Broker.Cli.Agent;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>env [--vault V] [--format sh|dotenv|json]</c>: print the variables <c>run</c> would set.</summary>
internal static class EnvCommand
{
    public static Command Create()
    {
        var vault = new Option<string>("--vault") { Description = $"Vault to use (default {CliEnvironment.VaultVariable}, or the token's only vault)" };
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => "sh", HelpName = "sh|dotenv|json" };
        format.AcceptOnlyFromAmong("sh", "dotenv", "json");
        var command = new Command("env", "Print the proxy and CA variables for an agent, e.g. eval \"$(agent-vault env)\"") { vault, format };
        command.SetAction(async (result, ct) =>
        {
            var session = await AgentSession.OpenAsync(result.GetValue(vault), ct).ConfigureAwait(false);
            Console.Out.Write(EnvFormatter.Format(session.EnvironmentVariables(), result.GetRequiredValue(format)));
            return ExitCodes.Ok;
        });
        return command;
    }
}
