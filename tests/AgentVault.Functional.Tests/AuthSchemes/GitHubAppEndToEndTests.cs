using System.Text.Json;
using AgentVault.Testing.Fakes.GitHub;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// github-app end to end: curl through <c>agent-vault run</c> calls the (fake) GitHub API as the app installation. The
/// fake only issues a token for an app JWT that verifies with the app's public key, and only serves issued tokens.
/// </summary>
public sealed class GitHubAppEndToEndTests(GitHubAppFixture fixture) : IClassFixture<GitHubAppFixture>
{
    [Fact]
    public async Task AgentWithoutKey_CallsTheApiAsTheInstallation_OneTokenForSeveralCalls()
    {
        var requestsBefore = fixture.GitHub.TokenRequests.Count;

        var repositories = await fixture.CurlAsync("/installation/repositories");
        var repository = await fixture.CurlAsync($"/repos/{FakeGitHubServer.Owner}/hello-world");

        Assert.True(repositories.ExitCode == 0, repositories + "\n" + fixture.Broker.Stderr);
        Assert.True(repository.ExitCode == 0, repository + "\n" + fixture.Broker.Stderr);
        Assert.Contains("hello-world", repositories.Stdout, StringComparison.Ordinal);
        using var repo = JsonDocument.Parse(repository.Stdout);
        Assert.Equal($"{FakeGitHubServer.Owner}/hello-world", repo.RootElement.GetProperty("full_name").GetString());

        var minted = fixture.GitHub.TokenRequests.Skip(requestsBefore).ToArray();
        Assert.True(minted.Length <= 1, string.Join('\n', minted.Select(r => r.ToString())));
        Assert.All(fixture.GitHub.TokenRequests, r => Assert.Equal(201, r.Status));
        var narrowed = fixture.GitHub.TokenRequests.First().Body;
        Assert.NotNull(narrowed);
        Assert.Equal("hello-world", narrowed["repositories"]![0]!.GetValue<string>());
        Assert.Equal("read", narrowed["permissions"]!["contents"]!.GetValue<string>());
    }

    [Fact]
    public async Task RepositoryOutsideTheNarrowedToken_IsNotFound()
    {
        var other = await fixture.CurlAsync($"/repos/{FakeGitHubServer.Owner}/docs");

        Assert.True(other.ExitCode != 0, other.ToString());
        Assert.Contains("Not Found", other.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamEchoesTheInstallationToken_AgentSeesRedacted_NoTokenOrKeyInOutput()
    {
        var echo = await fixture.CurlAsync("/echo");

        Assert.True(echo.ExitCode == 0, echo + "\n" + fixture.Broker.Stderr);
        using var body = JsonDocument.Parse(echo.Stdout);
        Assert.Equal("Bearer [REDACTED]", body.RootElement.GetProperty("headers").GetProperty("authorization").GetString());
        var output = echo.Output + fixture.Broker.Stdout + fixture.Broker.Stderr;
        Assert.NotEmpty(fixture.GitHub.Tokens.Keys);
        Assert.All(fixture.GitHub.Tokens.Keys, token => Assert.DoesNotContain(token, output, StringComparison.Ordinal));
        Assert.DoesNotContain("PRIVATE KEY", output, StringComparison.Ordinal);
    }
}
