using AgentVault.Broker.Hosting;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Storage;

public sealed class DatabaseLocationTests
{
    [Theory]
    [InlineData(null, "/data/agent-vault.db")]
    [InlineData("", "/data/agent-vault.db")]
    [InlineData("sqlite:/var/lib/av/x.db", "/var/lib/av/x.db")]
    [InlineData("sqlite:///var/lib/av/x.db", "/var/lib/av/x.db")]
    public void Resolve_SqliteUrls(string? url, string expected)
    {
        var location = DatabaseLocation.Resolve(new ServerOptions { DataDir = "/data", DatabaseUrl = url });

        Assert.Equal(expected, location.SqlitePath);
    }

    [Theory]
    [InlineData("postgres://user:pw@db/agent_vault")]
    [InlineData("postgresql://db/agent_vault")]
    public void Resolve_Postgres_IsAClearStartupError(string url)
    {
        var error = Assert.Throws<BrokerStartupException>(() => DatabaseLocation.Resolve(new ServerOptions { DataDir = "/data", DatabaseUrl = url }));

        Assert.Contains("PostgreSQL is not supported yet", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://secret:pw@db/x", "unsupported")]
    [InlineData("sqlite:", "file path")]
    public void Validate_RejectsOtherUrlsWithoutEchoingPasswords(string url, string expected)
    {
        var error = DatabaseLocation.Validate(url);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(":pw@", error, StringComparison.Ordinal);
    }
}
