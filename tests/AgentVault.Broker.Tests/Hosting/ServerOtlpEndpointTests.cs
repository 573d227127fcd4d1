using AgentVault.Broker.Server;

namespace AgentVault.Broker.Tests.Hosting;

/// <summary><c>--otlp-endpoint</c> / <c>AGENT_VAULT_OTLP_ENDPOINT</c>: an http(s) URL or one readable error.</summary>
public sealed class ServerOtlpEndpointTests
{
    [Theory]
    [InlineData(null, null, null)]
    [InlineData("http://127.0.0.1:4318", null, "http://127.0.0.1:4318/")]
    [InlineData(null, "https://otel.example.com/otlp/", "https://otel.example.com/otlp")]
    [InlineData("http://collector:4318", "http://other:4318", "http://collector:4318/")]
    public void FlagOrEnvironment_SetsTheEndpoint_FlagWins(string? flag, string? environment, string? expected)
    {
        var options = Bind(flag is null ? [] : ["--otlp-endpoint", flag], environment, out var error);

        Assert.Null(error);
        Assert.Equal(expected, options!.OtlpEndpoint?.AbsoluteUri);
    }

    [Theory]
    [InlineData("127.0.0.1:4318")]
    [InlineData("grpc://collector:4317")]
    [InlineData("file:///tmp/x")]
    public void NotAnHttpUrl_IsOneReadableError(string value)
    {
        Assert.Null(Bind(["--otlp-endpoint", value], null, out var error));
        Assert.Equal($"--otlp-endpoint: '{value}' is not an http:// or https:// URL", error);
    }

    private static ServerOptions? Bind(string[] args, string? environment, out string? error) =>
        ServerFlags.Bind(args, "AGENT_VAULT_OTLP_ENDPOINT", environment, out error);
}
