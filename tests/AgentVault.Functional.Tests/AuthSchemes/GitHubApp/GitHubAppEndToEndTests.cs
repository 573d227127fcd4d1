using System.Text.Json;
using AgentVault.Testing.Fakes.GitHub;

namespace AgentVault.Functional.Tests.AuthSchemes.GitHubApp;

/// <summary>
/// An agent with no GitHub credential calls the (fake) GitHub API through <c>agent-vault run</c>; the broker mints an
/// installation token from the app key in the store. The fake verifies the app JWT with the app's public key and serves
/// its API only for tokens it issued.
/// </summary>
public sealed class GitHubAppEndToEndTests(GitHubAppBrokerFixture fixture) : IClassFixture<GitHubAppBrokerFixture>
{
    [Fact]
    public async Task CurlThroughRun_ListsTheNarrowedRepositories_WithOneMintedToken()
    {
        var minted = fixture.GitHub.TokenRequests.Count(r => r.Status == 201);
        var served = fixture.GitHub.ServedApiCalls;

        for (var i = 0; i < 3; i++)
        {
            var result = await fixture.CurlAsync("--fail-with-body", fixture.Url(GitHubAppBrokerFixture.Host, "/installation/repositories"));

            Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);
            using var body = JsonDocument.Parse(result.Stdout);
            Assert.Equal(["docs", "hello-world"], body.RootElement.GetProperty("repositories").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order());
        }

        Assert.Equal(3, fixture.GitHub.ServedApiCalls - served);
        Assert.True(fixture.GitHub.TokenRequests.Count(r => r.Status == 201) - minted <= 1, "one installation token serves every request");
        Assert.Contains(fixture.GitHub.TokenRequests, r =>
            r.Status == 201 &&
            r.Body!["repositories"]!.AsArray().Select(n => n!.GetValue<string>()).Order().SequenceEqual(["docs", "hello-world"]) &&
            r.Body!["permissions"]!["contents"]!.GetValue<string>() == "read" &&
            r.Body!["permissions"]!["issues"]!.GetValue<string>() == "write");
    }

    [Fact]
    public async Task UpstreamEchoingTheToken_AgentSeesItRedacted()
    {
        var result = await fixture.CurlAsync("--fail-with-body", fixture.Url(GitHubAppBrokerFixture.Host, "/echo"));

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);
        using var body = JsonDocument.Parse(result.Stdout);
        Assert.Equal("Bearer [REDACTED]", body.RootElement.GetProperty("headers").GetProperty("authorization").GetString());
        Assert.DoesNotContain("agent-dummy-token", result.Stdout, StringComparison.Ordinal);
        AssertNoIssuedTokenIn(result.Output);
    }

    [Fact]
    public async Task GitLsRemoteThroughRun_AuthenticatesAsTheInstallation()
    {
        var url = fixture.Url(GitHubAppBrokerFixture.GitHost, $"/{FakeGitHubServer.Owner}/hello-world.git");

        var result = await fixture.GitAsync("ls-remote", url);

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);
        var commit = FakeGitHubServer.HeadCommit("hello-world");
        Assert.Contains($"{commit}\tHEAD", result.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{commit}\trefs/heads/main", result.Stdout, StringComparison.Ordinal);
        AssertNoIssuedTokenIn(result.Output);
    }

    [Fact]
    public async Task GitForRepositoryOutsideTheToken_IsNotFound()
    {
        var url = fixture.Url(GitHubAppBrokerFixture.GitHost, $"/{FakeGitHubServer.Owner}/docs.git");

        var result = await fixture.GitAsync("ls-remote", url);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not found", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task KeyOfAnotherApp_Gets502CredentialUnavailable_GitHubsMessageOnlyInTheServerLog()
    {
        var result = await fixture.CurlAsync("-w", "\n%{http_code}", fixture.Url(GitHubAppBrokerFixture.WrongKeyHost, "/installation/repositories"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("502", result.Stdout.TrimEnd().Split('\n')[^1]);
        Assert.Contains("credential_unavailable", result.Stdout, StringComparison.Ordinal);
        // The agent learns which service failed, not what GitHub answered (nor its token endpoint); the operator's log has that.
        Assert.DoesNotContain("A JSON web token could not be decoded", result.Output, StringComparison.Ordinal);
        Assert.True(await fixture.Broker.WaitForLogAsync("A JSON web token could not be decoded"), "GitHub's message is not in the server log");
        Assert.Contains(fixture.GitHub.TokenRequests, r => r.Status == 401);
        Assert.Equal(0, fixture.GitHub.RejectedApiCalls);
        foreach (var line in fixture.GitHub.PrivateKeyPem.Split('\n').Where(l => l.Length >= 16 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, result.Output + fixture.Broker.Stdout + fixture.Broker.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BrokerLogs_HoldNoTokenOrKey()
    {
        var result = await fixture.CurlAsync("--fail-with-body", fixture.Url(GitHubAppBrokerFixture.Host, "/installation/repositories"));
        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);

        var logs = fixture.Broker.Stdout + fixture.Broker.Stderr;
        Assert.NotEmpty(fixture.GitHub.Tokens);
        AssertNoIssuedTokenIn(logs);
        Assert.DoesNotContain("BEGIN RSA PRIVATE KEY", logs, StringComparison.Ordinal);
    }

    private void AssertNoIssuedTokenIn(string text)
    {
        foreach (var token in fixture.GitHub.Tokens.Keys)
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
    }
}
