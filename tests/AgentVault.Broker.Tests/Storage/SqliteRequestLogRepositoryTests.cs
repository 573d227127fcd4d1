using AgentVault.Broker.Model;
using AgentVault.Broker.Storage;

namespace AgentVault.Broker.Tests.Storage;

public sealed class SqliteRequestLogRepositoryTests
{
    internal static RequestLogRecord Record(int n, string vault = "dev") => new()
    {
        Time = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero).AddSeconds(n),
        Agent = "claude",
        Vault = vault,
        Service = "github",
        Method = "GET",
        Host = "api.github.com",
        Port = 443,
        Path = $"/repos/{n}",
        Status = 200,
        DurationMs = n,
        BytesIn = 10,
        BytesOut = 20,
        Credentials = ["GITHUB_TOKEN"],
        Error = n % 2 == 0 ? null : "rule_denied",
        Redactions = 1,
    };

    [Fact]
    public async Task AppendThenQuery_ReturnsNewestRecordsOldestFirst()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteRequestLogRepository(db.Database);
        var records = Enumerable.Range(1, 10).Select(n => Record(n)).ToList();

        await repository.AppendAsync(records, CancellationToken.None);
        var last3 = await repository.QueryAsync(null, 3, CancellationToken.None);

        Assert.Equal(records.Skip(7).Select(r => r.Path), last3.Select(r => r.Path));
        var roundTripped = last3[0];
        Assert.Equal(records[7] with { Credentials = [] }, roundTripped with { Credentials = [] });
        Assert.Equal(["GITHUB_TOKEN"], roundTripped.Credentials);
    }

    [Fact]
    public async Task Query_FiltersByVault()
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteRequestLogRepository(db.Database);
        await repository.AppendAsync([Record(1, "dev"), Record(2, "prod"), Record(3, "dev")], CancellationToken.None);

        var dev = await repository.QueryAsync("dev", 100, CancellationToken.None);

        Assert.Equal(["/repos/1", "/repos/3"], dev.Select(r => r.Path));
    }

    [Theory]
    [InlineData(10, 3, 3)]
    [InlineData(3, 10, 3)]
    [InlineData(5, 5, 5)]
    public async Task Trim_KeepsTheNewestRecords(int written, int keep, int expected)
    {
        using var db = await TestDatabase.CreateAsync();
        var repository = new SqliteRequestLogRepository(db.Database);
        await repository.AppendAsync(Enumerable.Range(1, written).Select(n => Record(n)).ToList(), CancellationToken.None);

        await repository.TrimAsync(keep, CancellationToken.None);

        var left = await repository.QueryAsync(null, 1000, CancellationToken.None);
        Assert.Equal(Enumerable.Range(written - expected + 1, expected).Select(n => $"/repos/{n}"), left.Select(r => r.Path));
    }
}
