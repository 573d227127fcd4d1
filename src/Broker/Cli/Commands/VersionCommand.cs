using System.CommandLine;
using System.Reflection;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>version [--json]</c>.</summary>
internal static class VersionCommand
{
    public static string Version { get; } = ReadVersion();

    public static Command Create()
    {
        var json = CliOptions.Json();
        var command = new Command("version", "Print the version of this binary") { json };
        command.SetAction(result =>
        {
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(new JsonObject { ["version"] = Version });
            }
            else
            {
                CliOutput.WriteLine($"agent-vault {Version}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static string ReadVersion()
    {
        var informational = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
