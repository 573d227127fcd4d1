using System.Net;
using System.Net.Http.Headers;
using AgentVault.Testing.Broker;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>Agent tokens and scoped tokens through the CLI: created once, shown once, revoked at once.</summary>
public sealed class AgentTokenTests(ITestOutputHelper output) : IAsyncLifetime
{
    private BrokerProcess _broker = null!;

    public async Task InitializeAsync()
    {
        _broker = await BrokerProcess.StartAsync(new BrokerOptions { Log = output.WriteLine });
        CliAssert.Ok(await _broker.Cli.RunAsync("vault", "create", "dev"));
        CliAssert.Ok(await _broker.Cli.RunAsync("vault", "create", "prod"));
    }

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    [Fact]
    public async Task TokenMint_PrintsOnlyTheTokenAndJsonHasTokenField()
    {
        var text = CliAssert.Ok(await _broker.Cli.RunAsync("token", "mint", "--vault", "dev", "--ttl", "15m", "--label", "sandbox-1"));
        var json = CliAssert.Json(await _broker.Cli.RunAsync("token", "mint", "--vault", "dev", "--json"));

        Assert.Matches(@"^avt_[A-Za-z0-9_-]{43}$", text.Stdout.Trim());
        Assert.StartsWith("avt_", json.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal("dev", json.GetProperty("vault").GetString());
        Assert.Equal(200, await DiscoverStatusAsync(text.Stdout.Trim()));
        var list = CliAssert.Ok(await _broker.Cli.RunAsync("token", "list"));
        Assert.Contains(list.Lines, l => l.Contains("sandbox-1", StringComparison.Ordinal) && l.Contains("scoped", StringComparison.Ordinal));
        Assert.DoesNotContain(text.Stdout.Trim(), list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentCreate_JsonHasTokenAndTheTokenWorksUntilRevoked()
    {
        var created = CliAssert.Json(await _broker.Cli.RunAsync("agent", "create", "reviewer", "--vault", "dev", "--json"));
        var token = created.GetProperty("token").GetString()!;
        Assert.Equal(200, await DiscoverStatusAsync(token));

        var revoked = CliAssert.Ok(await _broker.Cli.RunAsync("agent", "revoke", "reviewer"));

        Assert.Contains("1 token(s) revoked", revoked.Stdout, StringComparison.Ordinal);
        Assert.Equal(401, await DiscoverStatusAsync(token));
        var env = CliAssert.Failed(await _broker.Cli.With("AGENT_VAULT_TOKEN", token).RunAsync("env"));
        Assert.DoesNotContain(token, env.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentRotate_IssuesANewTokenAndRevokesTheOld()
    {
        var old = CliAssert.Json(await _broker.Cli.RunAsync("agent", "create", "rotator", "--vault", "dev", "--json")).GetProperty("token").GetString()!;

        var rotated = CliAssert.Json(await _broker.Cli.RunAsync("agent", "rotate", "rotator", "--json")).GetProperty("token").GetString()!;

        Assert.NotEqual(old, rotated);
        Assert.Equal(401, await DiscoverStatusAsync(old));
        Assert.Equal(200, await DiscoverStatusAsync(rotated));
    }

    [Fact]
    public async Task AgentWithCanMint_MintsScopedTokenForItsVaultOnly()
    {
        var agentToken = CliAssert.Json(await _broker.Cli.RunAsync("agent", "create", "minter", "--vault", "dev", "--can-mint", "--json")).GetProperty("token").GetString()!;
        var agentCli = _broker.Cli.With([new("AGENT_VAULT_TOKEN", agentToken), new("AGENT_VAULT_DATA_DIR", Path.Combine(_broker.WorkDir, "not-the-admin"))]);

        var scoped = CliAssert.Ok(await agentCli.RunAsync("token", "mint", "--vault", "dev", "--ttl", "5m")).Stdout.Trim();
        var refused = await agentCli.RunAsync("token", "mint", "--vault", "prod");

        Assert.Equal(200, await DiscoverStatusAsync(scoped));
        CliAssert.Failed(refused);
    }

    [Fact]
    public async Task AgentDelete_RemovesItFromTheList()
    {
        CliAssert.Ok(await _broker.Cli.RunAsync("agent", "create", "temporary", "--vault", "dev"));

        CliAssert.Ok(await _broker.Cli.RunAsync("agent", "delete", "temporary"));

        var agents = CliAssert.Json(await _broker.Cli.RunAsync("agent", "list", "--json"));
        Assert.DoesNotContain(agents.EnumerateArray(), a => a.GetProperty("name").GetString() == "temporary");
    }

    private async Task<int> DiscoverStatusAsync(string token)
    {
        using var client = _broker.CreateApiClient(admin: false);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("v1/discover");
        return (int)response.StatusCode;
    }
}
