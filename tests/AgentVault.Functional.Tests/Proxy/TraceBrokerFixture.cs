namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// The <see cref="ProxyBrokerFixture"/> set-up with the server log as verbose as it goes: <c>AGENT_VAULT_LOG_LEVEL=trace</c>
/// for the broker and the ASP.NET Core framework at Trace through the standard logging configuration.
/// </summary>
public sealed class TraceBrokerFixture : ProxyBrokerFixture
{
    protected override IReadOnlyDictionary<string, string?> ServerEnvironment { get; } = new Dictionary<string, string?>
    {
        ["AGENT_VAULT_LOG_LEVEL"] = "trace",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Trace",
    };
}
