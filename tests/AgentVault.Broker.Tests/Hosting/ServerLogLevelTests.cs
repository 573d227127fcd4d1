using AgentVault.Broker.Server;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Tests.Hosting;

/// <summary><c>--log-level</c> / <c>AGENT_VAULT_LOG_LEVEL</c>.</summary>
public sealed class ServerLogLevelTests
{
    [Theory]
    [InlineData(null, null, LogLevel.Information)]
    [InlineData("trace", null, LogLevel.Trace)]
    [InlineData("Debug", null, LogLevel.Debug)]
    [InlineData("warning", null, LogLevel.Warning)]
    [InlineData(null, "error", LogLevel.Error)]
    [InlineData(null, "TRACE", LogLevel.Trace)]
    [InlineData("debug", "error", LogLevel.Debug)]
    public void FlagOrEnvironment_SetsTheLevel_FlagWins(string? flag, string? environment, LogLevel expected)
    {
        var options = Bind(flag is null ? [] : ["--log-level", flag], environment, out var error);

        Assert.Null(error);
        Assert.Equal(expected, options!.LogLevel);
    }

    [Theory]
    [InlineData("loud", null, "--log-level")]
    [InlineData(null, "verbose", "--log-level")]
    public void UnknownLevel_IsOneReadableError(string? flag, string? environment, string expected)
    {
        Assert.Null(Bind(flag is null ? [] : ["--log-level", flag], environment, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("trace, debug, information, warning, error", error, StringComparison.Ordinal);
    }

    private static ServerOptions? Bind(string[] args, string? environment, out string? error) =>
        ServerFlags.Bind(args, "AGENT_VAULT_LOG_LEVEL", environment, out error);
}
