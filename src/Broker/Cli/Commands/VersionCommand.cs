using System.CommandLine;
using AgentVault.Broker.Server;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>version [--json]</c>: the version and the git commit this binary was built from, both read from the assembly's
/// informational version (<c>VERSION+COMMIT</c>, as <c>dotnet build</c> and <c>scripts/release.sh</c> stamp it).
/// </summary>
internal static class VersionCommand
{
    private static readonly (string Version, string? Commit) Stamp = ReadStamp();

    /// <summary>The version without the commit, e.g. <c>1.2.3</c>.</summary>
    public static string Version => Stamp.Version;

    /// <summary>The full commit id the binary was built from; null when the build did not record one.</summary>
    public static string? Commit => Stamp.Commit;

    public static Command Create()
    {
        var json = CliOptions.Json();
        var command = new Command("version", "Print the version of this binary and the commit it was built from") { json };
        command.SetAction(result =>
        {
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(new JsonObject { ["version"] = Version, ["commit"] = Commit });
            }
            else
            {
                CliOutput.WriteLine(Commit is null ? $"agent-vault {Version}" : $"agent-vault {Version} (commit {Commit[..Math.Min(12, Commit.Length)]})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static (string Version, string? Commit) ReadStamp()
    {
        return Parse(BrokerVersion.Informational ?? "0.0.0");
    }

    /// <summary>Splits <c>1.2.3-rc.1+abc123</c> into the version and the commit (the build metadata, when it is a hex commit id).</summary>
    internal static (string Version, string? Commit) Parse(string informational)
    {
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        if (plus < 0)
        {
            return (informational, null);
        }

        var metadata = informational[(plus + 1)..];
        var isCommit = metadata.Length >= 7 && metadata.All(char.IsAsciiHexDigit);
        return (informational[..plus], isCommit ? metadata.ToLowerInvariant() : null);
    }
}
