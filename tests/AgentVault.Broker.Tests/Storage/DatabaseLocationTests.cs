using AgentVault.Broker.Server;
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
    [InlineData("postgres://user:pw@db/agent_vault", "postgres://user@db:5432/agent_vault")]
    [InlineData("postgresql://db/agent_vault", "postgres://db:5432/agent_vault")]
    public void Resolve_Postgres_IsAPostgresLocationShownWithoutThePassword(string url, string shown)
    {
        var location = DatabaseLocation.Resolve(new ServerOptions { DataDir = "/data", DatabaseUrl = url });

        Assert.Null(location.SqlitePath);
        Assert.NotNull(location.Postgres);
        Assert.Equal(shown, location.ToString());
    }

    [Fact]
    public void Resolve_BadPostgresUrl_IsAStartupErrorWithoutThePassword()
    {
        var error = Assert.Throws<BrokerStartupException>(() => DatabaseLocation.Resolve(new ServerOptions { DataDir = "/data", DatabaseUrl = "postgres://u:hunter2@db:99999/x" }));

        Assert.Contains("port", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://secret:pw@db/x", "unsupported")]
    [InlineData("sqlite:", "file path")]
    [InlineData("postgres://secret:pw@db/x?bogus=1", "unknown option 'bogus'")]
    public void Validate_RejectsOtherUrlsWithoutEchoingPasswords(string url, string expected)
    {
        var error = DatabaseLocation.Validate(url);

        Assert.NotNull(error);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain(":pw@", error, StringComparison.Ordinal);
    }
}
