using AgentVault.Broker.Storage.Postgres;
using Npgsql;

namespace AgentVault.Broker.Tests.Storage;

public sealed class PostgresUrlTests
{
    [Theory]
    [InlineData("postgres://av:pw@db.internal:6432/agent_vault", "db.internal", 6432, "agent_vault", "av", "pw")]
    [InlineData("postgresql://av:pw@db.internal/agent_vault", "db.internal", 5432, "agent_vault", "av", "pw")]
    [InlineData("POSTGRES://av@10.0.0.5/agent_vault", "10.0.0.5", 5432, "agent_vault", "av", null)]
    [InlineData("postgres://db", "db", 5432, null, null, null)]
    [InlineData("postgres://db/", "db", 5432, null, null, null)]
    [InlineData("postgres://av:p%40ss%3Aw%2Fo%25rd@db/x", "db", 5432, "x", "av", "p@ss:w/o%rd")]
    [InlineData("postgres://av:p@ss/word@db/x", "db", 5432, "x", "av", "p@ss/word")]
    [InlineData("postgres://us%20er:@db/x", "db", 5432, "x", "us er", "")]
    [InlineData("postgres://av:pw@[::1]:5433/x", "::1", 5433, "x", "av", "pw")]
    [InlineData("postgres://av:pw@db/my%20db", "db", 5432, "my db", "av", "pw")]
    public void TryParse_GoodUrls(string url, string host, int port, string? database, string? user, string? password)
    {
        Assert.True(PostgresUrl.TryParse(url, out var parsed, out var error), error);

        Assert.Equal(host, parsed!.Host);
        Assert.Equal(port, parsed.Port);
        Assert.Equal(database, parsed.Database);
        Assert.Equal(user, parsed.Username);
        Assert.Equal(password, parsed.Password);
    }

    [Theory]
    [InlineData("postgres://av:hunter2@db/x?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5&application_name=broker-a&search_path=av&pool_max_size=20&command_timeout=7")]
    public void ToConnectionString_MapsTheOptionsOntoNpgsql(string url)
    {
        Assert.True(PostgresUrl.TryParse(url, out var parsed, out _));

        var builder = new NpgsqlConnectionStringBuilder(parsed!.ToConnectionString());

        Assert.Equal(("db", 5432, "x", "av", "hunter2"), (builder.Host, builder.Port, builder.Database, builder.Username, builder.Password));
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal("/etc/ca.pem", builder.RootCertificate);
        Assert.Equal(5, builder.Timeout);
        Assert.Equal(7, builder.CommandTimeout);
        Assert.Equal("broker-a", builder.ApplicationName);
        Assert.Equal("av", builder.SearchPath);
        Assert.Equal(20, builder.MaxPoolSize);
        Assert.True(builder.Pooling);
    }

    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    public void ToConnectionString_SslModes(string mode, SslMode expected)
    {
        Assert.True(PostgresUrl.TryParse($"postgres://db/x?sslmode={mode}", out var parsed, out _));

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(parsed!.ToConnectionString()).SslMode);
    }

    [Theory]
    [InlineData("mysql://av:hunter2@db/x", "postgres://")]
    [InlineData("postgres://av:hunter2@/x", "needs a host")]
    [InlineData("postgres://av:hunter2@db:0/x", "not a port")]
    [InlineData("postgres://av:hunter2@db:65536/x", "not a port")]
    [InlineData("postgres://av:hunter2@db:54a/x", "not a port")]
    [InlineData("postgres://av:hunter2@db/x?sslmode=sometimes", "sslmode must be one of")]
    [InlineData("postgres://av:hunter2@db/x?password=other", "unknown option 'password'")]
    [InlineData("postgres://av:hunter2@db/x?connect_timeout=soon", "connect_timeout must be a whole number")]
    [InlineData("postgres://av:hunter2@db/x?pool_max_size=0", "pool_max_size must be a whole number above zero")]
    [InlineData("postgres://av:hunter2%zz@db/x", "percent-encoding")]
    [InlineData("postgres://av:hunter2@db/x/y", "not a database name")]
    [InlineData("postgres://av:hunter2@[::1/x", "brackets")]
    public void TryParse_BadUrls_SayWhyWithoutThePassword(string url, string expected)
    {
        Assert.False(PostgresUrl.TryParse(url, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NeverShowsThePassword()
    {
        Assert.True(PostgresUrl.TryParse("postgres://av:hunter2@db:6432/x?sslmode=require", out var parsed, out _));

        Assert.Equal("postgres://av@db:6432/x", parsed!.ToString());
    }
}
