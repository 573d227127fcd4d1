using AgentVault.Broker.Server;

namespace AgentVault.Broker.Tests.Hosting;

/// <summary><c>--log-format</c> / <c>AGENT_VAULT_LOG_FORMAT</c>.</summary>
public sealed class ServerLogFormatTests
{
    [Theory]
    [InlineData(null, null, ServerLogFormat.Text)]
    [InlineData("json", null, ServerLogFormat.Json)]
    [InlineData("JSON", null, ServerLogFormat.Json)]
    [InlineData(null, "json", ServerLogFormat.Json)]
    [InlineData("text", "json", ServerLogFormat.Text)]
    public void FlagOrEnvironment_SetsTheFormat_FlagWins(string? flag, string? environment, ServerLogFormat expected)
    {
        var options = Bind(flag is null ? [] : ["--log-format", flag], environment, out var error);

        Assert.Null(error);
        Assert.Equal(expected, options!.LogFormat);
    }

    [Theory]
    [InlineData("xml", null)]
    [InlineData(null, "logfmt")]
    public void UnknownFormat_IsOneReadableError(string? flag, string? environment)
    {
        Assert.Null(Bind(flag is null ? [] : ["--log-format", flag], environment, out var error));
        Assert.Contains("--log-format: '", error, StringComparison.Ordinal);
        Assert.Contains("is not text or json", error, StringComparison.Ordinal);
    }

    private static ServerOptions? Bind(string[] args, string? environment, out string? error) =>
        ServerFlags.Bind(args, "AGENT_VAULT_LOG_FORMAT", environment, out error);
}
