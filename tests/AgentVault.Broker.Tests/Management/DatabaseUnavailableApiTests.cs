using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentVault.Broker.Tests.Management;

/// <summary>A management request the database cannot serve right now is 503 <c>database_unavailable</c> with <c>Retry-After</c>, not 500.</summary>
public sealed class DatabaseUnavailableApiTests
{
    public static TheoryData<string> Unavailable => ["postgres-refused", "postgres-timeout", "sqlite-busy"];

    private static Exception Failure(string name) => name switch
    {
        "postgres-refused" => new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused)),
        "postgres-timeout" => new NpgsqlException("Exception while reading from stream", new TimeoutException()),
        "sqlite-busy" => new SqliteException("database is locked", 5),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task DatabaseUnavailable_Is503WithRetryAfter(string failure)
    {
        await using var host = await ManagementTestHost.StartAsync();
        host.Log.QueryFailure = Failure(failure);

        using var response = await host.Admin.GetAsync(new Uri("/v1/logs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var body = await host.ReadJsonAsync(response);
        Assert.Equal("database_unavailable", body?["code"]?.GetValue<string>());
        Assert.DoesNotContain("127.0.0.1", body?.ToJsonString() ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherDatabaseError_StaysInternal()
    {
        await using var host = await ManagementTestHost.StartAsync();
        host.Log.QueryFailure = new SqliteException("constraint failed", 19);

        using var response = await host.Admin.GetAsync(new Uri("/v1/logs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        Assert.Equal("internal", (await host.ReadJsonAsync(response))?["code"]?.GetValue<string>());
    }
}
