using System.CommandLine;
using AgentVault.Broker.Cli.Agent;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>run [--vault V] -- COMMAND [ARGS]...</c>: start the agent with the proxy and CA environment set.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var vault = new Option<string>("--vault") { Description = $"Vault to use (default {CliEnvironment.VaultVariable}, or the token's only vault)" };
        var command = new Argument<string[]>("COMMAND") { Description = "The program to run and its arguments (after --)", Arity = ArgumentArity.OneOrMore };
        var run = new Command("run", $"Run a command through the broker (agent side: uses {CliEnvironment.AddressVariable}, {CliEnvironment.AgentTokenVariable}, {CliEnvironment.VaultVariable})")
        {
            vault,
            command,
        };
        run.SetAction(async (result, ct) =>
        {
            var session = await AgentSession.OpenAsync(result.GetValue(vault), ct).ConfigureAwait(false);
            return await ChildProcess.RunAsync(result.GetRequiredValue(command), session.EnvironmentVariables(), ct).ConfigureAwait(false);
        });
        return run;
    }
}
