using System.CommandLine;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Hosting;

/// <summary>Creates the <c>server</c> command: every flag of SPEC §2, each also read from AGENT_VAULT_&lt;FLAG_NAME&gt;.</summary>
internal static class ServerCommandFactory
{
    public const int UsageExitCode = 2;

    public static Command Create() => Create(ServerConsole.System, Environment.GetEnvironmentVariable);

    public static Command Create(ServerConsole console, Func<string, string?> environment)
    {
        var flags = new ServerCommandOptions();
        var command = new Command("server", "Run the broker: management API and proxy listeners.");
        foreach (var option in flags.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new ServerOptionsBinder(parseResult, flags, environment).Bind(out var error);
            if (options is null)
            {
                await console.Error.WriteLineAsync($"agent-vault server: {error}");
                return UsageExitCode;
            }

            return await ServerHost.RunAsync(options, console, cancellationToken);
        });
        return command;
    }
}
