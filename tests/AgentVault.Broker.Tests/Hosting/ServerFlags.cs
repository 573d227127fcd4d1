using System.CommandLine;
using AgentVault.Broker.Hosting;
using AgentVault.Broker.Server;

namespace AgentVault.Broker.Tests.Hosting;

/// <summary>Binds server flags the way <c>agent-vault server</c> does, with a given environment, for the flag tests.</summary>
internal static class ServerFlags
{
    /// <summary>Parses <paramref name="args"/> (which must parse) and binds them; null and <paramref name="error"/> on a usage error.</summary>
    public static ServerOptions? Bind(string[] args, Func<string, string?> environment, out string? error)
    {
        var flags = new ServerCommandOptions();
        var command = new Command("server");
        foreach (var option in flags.All)
        {
            command.Options.Add(option);
        }

        var parseResult = command.Parse(args);
        Assert.Empty(parseResult.Errors);
        return new ServerOptionsBinder(parseResult, flags, environment).Bind(out error);
    }

    /// <summary>Binds with one environment variable set (or none when <paramref name="value"/> is null).</summary>
    public static ServerOptions? Bind(string[] args, string variable, string? value, out string? error) =>
        Bind(args, name => name == variable ? value : null, out error);
}
