using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// Real <c>git clone</c> over HTTPS under <c>agent-vault run</c>: the git server requires a credential the agent never has,
/// so the clone succeeds only because the broker injects it.
/// </summary>
public sealed class GitCloneTests(GitCloneFixture fixture) : IClassFixture<GitCloneFixture>
{
    [Theory]
    [InlineData("basic")]
    [InlineData("bearer")]
    public async Task GitClone_UnderAgentVaultRun_SucceedsThroughInjectedAuth(string auth)
    {
        var target = Path.Combine(fixture.WorkDir, "clone-" + auth + "-" + Guid.NewGuid().ToString("N"));
        var authorizedBefore = fixture.Git.Authorized;
        var agent = fixture.Broker.Cli
            .With("AGENT_VAULT_TOKEN", fixture.Token)
            .With("AGENT_VAULT_VAULT", "dev")
            .With("AGENT_VAULT_ADMIN_TOKEN", null)
            .With("GIT_TERMINAL_PROMPT", "0")
            .With("GIT_CONFIG_NOSYSTEM", "1")
            .With("GIT_CONFIG_GLOBAL", "/dev/null");

        var result = await agent.RunAsync("run", "--", "git", "clone", "-q", fixture.RepoUrl(auth), target);

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);
        Assert.Equal(GitCloneFixture.ReadmeText, await File.ReadAllTextAsync(Path.Combine(target, "README.md")));
        Assert.True(fixture.Git.Authorized > authorizedBefore);

        // The credential stays with the broker: not in the clone's remote URL, not in anything git printed.
        var config = await File.ReadAllTextAsync(Path.Combine(target, ".git", "config"));
        foreach (var text in new[] { config, result.Stdout, result.Stderr })
        {
            Assert.DoesNotContain(GitCloneFixture.GitToken, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GitClone_WithoutTheBroker_IsRefusedByTheServer()
    {
        var target = Path.Combine(fixture.WorkDir, "direct-" + Guid.NewGuid().ToString("N"));
        var refusedBefore = fixture.Git.Refused;

        // Straight to the server (it trusts the upstream CA, so only the missing credential stands in the way).
        var result = await ClientProcess.RunAsync("git", [
            "-c", "http.curloptResolve=git.upstream.test:" + fixture.Upstream.Port + ":127.0.0.1",
            "clone", "-q", fixture.RepoUrl("basic"), target],
            new Dictionary<string, string?>
            {
                ["GIT_SSL_CAINFO"] = fixture.UpstreamCa.PemPath,
                ["GIT_TERMINAL_PROMPT"] = "0",
                ["GIT_CONFIG_NOSYSTEM"] = "1",
                ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            });

        Assert.NotEqual(0, result.ExitCode);
        Assert.True(fixture.Git.Refused > refusedBefore, result.ToString());
        Assert.False(Directory.Exists(Path.Combine(target, ".git")));
    }
}
