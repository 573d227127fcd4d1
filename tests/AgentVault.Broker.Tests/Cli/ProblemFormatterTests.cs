using System.Net;
using AgentVault.Broker.Cli;

namespace AgentVault.Broker.Tests.Cli;

public sealed class ProblemFormatterTests
{
    [Fact]
    public void ValidationProblem_GivesOneLinePerErrorWithPath()
    {
        const string body = """
            {"type":"https://agent-vault.dev/errors/validation_failed","title":"Validation failed","status":400,"detail":"2 problems","code":"validation_failed",
             "errors":[{"path":"vaults[0].services[1].host","message":"IP literals are not allowed"},{"path":"","message":"document is empty"}]}
            """;

        var lines = ProblemFormatter.Format(HttpStatusCode.BadRequest, body, null);

        Assert.Equal(["vaults[0].services[1].host: IP literals are not allowed", "document is empty"], lines);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, """{"title":"Not found","detail":"no vault named 'x'","code":"not_found"}""", "no vault named 'x'")]
    [InlineData(HttpStatusCode.Conflict, """{"title":"Conflict","code":"conflict"}""", "Conflict")]
    [InlineData(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "HTTP 502 BadGateway")]
    [InlineData(HttpStatusCode.InternalServerError, "", "HTTP 500 InternalServerError")]
    public void OtherProblems_GiveDetailOrTitleOrStatus(HttpStatusCode status, string body, string expected)
    {
        Assert.Equal([expected], ProblemFormatter.Format(status, body, null));
    }

    [Fact]
    public void Unauthorized_SaysWhereTheTokenCameFrom()
    {
        var lines = ProblemFormatter.Format(HttpStatusCode.Unauthorized, """{"detail":"a valid admin token is required"}""", "AGENT_VAULT_ADMIN_TOKEN");

        Assert.Equal("the broker refused the token from AGENT_VAULT_ADMIN_TOKEN: it is not a valid token for this broker (wrong, revoked or expired)", Assert.Single(lines));
    }

    [Fact]
    public void ConflictWithAnETag_IsAVersionConflictAndSaysToRetry()
    {
        const string body = """{"title":"Conflict","detail":"the configuration changed since the version in If-Match","code":"conflict"}""";

        var lines = ProblemFormatter.Format(HttpStatusCode.Conflict, body, null, "\"43\"");

        Assert.Equal(
            ["the configuration changed since the version in If-Match", "the configuration was changed by someone else meanwhile (it is now at ETag \"43\"); nothing was applied: retry"],
            lines);
    }

    [Fact]
    public void ConflictWithoutAnETag_IsNotCalledARace()
    {
        var lines = ProblemFormatter.Format(HttpStatusCode.Conflict, """{"detail":"agent 'claude' already exists","code":"conflict"}""", null);

        Assert.Equal(["agent 'claude' already exists"], lines);
    }
}
