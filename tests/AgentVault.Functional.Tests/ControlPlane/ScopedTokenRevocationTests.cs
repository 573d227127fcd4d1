using System.Text.Json;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>
/// Scoped tokens die with what granted them: their vault (by identity, so a vault of the same name created again does not revive
/// them), the minting agent's vault grant and <c>can_mint</c>, the minting agent token, the agent's revocation or rotation. Each
/// test drives a real broker with the CLI and checks the token through the proxy (CONNECT + a request inside the tunnel).
/// Each test has its own broker: <c>apply --prune</c> deletes everything the file does not name.
/// </summary>
public sealed class ScopedTokenRevocationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Host = "api.upstream.test";
    private BrokerEnvironment _env = null!;
    private TestUpstream _upstream = null!;

    private string Authority => $"{Host}:{_upstream.Port}";

    public async Task InitializeAsync()
    {
        _env = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "Scoped Token Upstream CA",
            Hosts = [Host],
            Log = output.WriteLine,
        });
        _upstream = _env.Own(await TestUpstream.StartAsync(_env.UpstreamCa));
        await _env.PutSecretsAsync(("api", "sk-scoped-SECRET-41c7"));
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task VaultDeleted_ScopedTokenIsRefused_AlsoAfterAVaultOfTheSameNameIsCreatedAgain()
    {
        await ApplyAsync(Vaults("dev"));
        var scoped = await AdminMintAsync("dev");
        Assert.Equal(200, await ProxyStatusAsync(scoped, "dev"));

        CliAssert.Ok(await _env.Process.Cli.RunAsync("vault", "delete", "dev"));
        var afterDelete = await ProxyStatusAsync(scoped, "dev");
        await ApplyAsync(Vaults("dev"));

        Assert.Equal(407, afterDelete);
        Assert.Equal(407, await ProxyStatusAsync(scoped, "dev"));
        Assert.Equal(200, await ProxyStatusAsync(await AdminMintAsync("dev"), "dev"));
    }

    [Fact]
    public async Task VaultPrunedByApply_ScopedTokenStaysDeadWhenTheSameFileIsAppliedAgain()
    {
        var file = Vaults("dev");
        await ApplyAsync(file);
        var adminMinted = await AdminMintAsync("dev");
        var agentMinted = await AgentMintAsync((await CreateAgentAsync("sandboxer", ["dev"])).Token, "dev");
        Assert.Equal(200, await ProxyStatusAsync(adminMinted, "dev"));
        Assert.Equal(200, await ProxyStatusAsync(agentMinted, "dev"));

        // The file keeps the --dev store and one other vault: the prune deletes vault dev (and the agents).
        await ApplyAsync("stores:\n  - name: local\n    type: file\n" + Vaults("other"), "--prune");
        var afterPrune = await ProxyStatusAsync(adminMinted, "dev");
        await ApplyAsync(file + Agent("sandboxer", ["dev"], canMint: true));

        Assert.Equal(407, afterPrune);
        Assert.Equal(407, await ProxyStatusAsync(adminMinted, "dev"));
        Assert.Equal(407, await ProxyStatusAsync(agentMinted, "dev"));
    }

    [Fact]
    public async Task VaultRemovedFromMintingAgent_ScopedTokenIsRevoked_AndGivingItBackDoesNotReviveIt()
    {
        await ApplyAsync(Vaults("dev", "other"));
        var minter = await CreateAgentAsync("minter", ["dev", "other"]);
        var (scoped, scopedId) = await AgentMintWithIdAsync(minter.Token, "dev");
        var otherVault = await AgentMintAsync(minter.Token, "other");
        Assert.Equal(200, await ProxyStatusAsync(scoped, "dev"));

        await ApplyAsync(Vaults("dev", "other") + Agent("minter", ["other"], canMint: true));
        var afterRemoval = await ProxyStatusAsync(scoped, "dev");
        await ApplyAsync(Vaults("dev", "other") + Agent("minter", ["dev", "other"], canMint: true));

        Assert.Equal(407, afterRemoval);
        Assert.Equal(407, await ProxyStatusAsync(scoped, "dev"));
        Assert.Equal(200, await ProxyStatusAsync(otherVault, "other"));
        Assert.True(await IsListedRevokedAsync(scopedId), "token list does not show the scoped token as revoked");
    }

    [Fact]
    public async Task CanMintWithdrawn_ScopedTokensOfTheAgentAreRevoked_AndGrantingItAgainDoesNotReviveThem()
    {
        await ApplyAsync(Vaults("dev"));
        var minter = await CreateAgentAsync("minter", ["dev"]);
        var scoped = await AgentMintAsync(minter.Token, "dev");
        var adminMinted = await AdminMintAsync("dev");
        Assert.Equal(200, await ProxyStatusAsync(scoped, "dev"));

        await ApplyAsync(Vaults("dev") + Agent("minter", ["dev"], canMint: false));
        var afterWithdrawal = await ProxyStatusAsync(scoped, "dev");
        await ApplyAsync(Vaults("dev") + Agent("minter", ["dev"], canMint: true));

        Assert.Equal(407, afterWithdrawal);
        Assert.Equal(407, await ProxyStatusAsync(scoped, "dev"));
        Assert.Equal(200, await ProxyStatusAsync(minter.Token, "dev"));
        Assert.Equal(200, await ProxyStatusAsync(adminMinted, "dev"));
    }

    [Fact]
    public async Task MintingAgentRevoked_ScopedTokenIsRefused()
    {
        await ApplyAsync(Vaults("dev"));
        var scoped = await AgentMintAsync((await CreateAgentAsync("minter", ["dev"])).Token, "dev");
        Assert.Equal(200, await ProxyStatusAsync(scoped, "dev"));

        CliAssert.Ok(await _env.Process.Cli.RunAsync("agent", "revoke", "minter"));

        Assert.Equal(407, await ProxyStatusAsync(scoped, "dev"));
    }

    [Fact]
    public async Task MintingAgentRotated_ScopedTokenIsRefused()
    {
        await ApplyAsync(Vaults("dev"));
        var scoped = await AgentMintAsync((await CreateAgentAsync("minter", ["dev"])).Token, "dev");
        Assert.Equal(200, await ProxyStatusAsync(scoped, "dev"));

        var rotated = CliAssert.Json(await _env.Process.Cli.RunAsync("agent", "rotate", "minter", "--json")).GetProperty("token").GetString()!;

        Assert.Equal(407, await ProxyStatusAsync(scoped, "dev"));
        Assert.Equal(200, await ProxyStatusAsync(rotated, "dev"));
    }

    [Fact]
    public async Task MintingAgentTokenRevokedById_ScopedTokensItMintedAreRefused()
    {
        await ApplyAsync(Vaults("dev"));
        var minter = await CreateAgentAsync("minter", ["dev"]);
        var second = CliAssert.Json(await _env.Process.Cli.RunAsync("agent", "rotate", "minter", "--json"));
        var (scoped, scopedId) = await AgentMintWithIdAsync(second.GetProperty("token").GetString()!, "dev");
        Assert.Equal(200, await ProxyStatusAsync(scoped, "dev"));
        Assert.NotEqual(minter.Id, second.GetProperty("token_id").GetString());

        CliAssert.Ok(await _env.Process.Cli.RunAsync("token", "revoke", second.GetProperty("token_id").GetString()!));

        Assert.Equal(407, await ProxyStatusAsync(scoped, "dev"));
        Assert.True(await IsListedRevokedAsync(scopedId), "token list does not show the scoped token as revoked");
        using var list = JsonDocument.Parse(CliAssert.Ok(await _env.Process.Cli.RunAsync("token", "list", "--json")).Stdout);
        Assert.Equal(second.GetProperty("token_id").GetString(), list.RootElement.EnumerateArray().Single(t => t.GetProperty("id").GetString() == scopedId).GetProperty("minted_by").GetString());
    }

    [Fact]
    public async Task GrantWithdrawnWhileATunnelIsOpen_NextRequestInThatTunnelGets407()
    {
        await ApplyAsync(Vaults("dev"));
        var scoped = await AgentMintAsync((await CreateAgentAsync("minter", ["dev"])).Token, "dev");
        await using var tunnel = await OpenTunnelAsync(scoped, "dev");
        var before = await tunnel.SendAsync("GET", "/echo/before", [("Host", Authority)]);
        Assert.Equal(200, before.Status);

        await ApplyAsync(Vaults("dev") + Agent("minter", ["dev"], canMint: false));
        var after = await tunnel.SendAsync("GET", "/echo/after", [("Host", Authority)]);

        Assert.Equal(407, after.Status);
        Assert.Equal("proxy_auth_required", after.Headers["X-Agent-Vault-Error"]);
        Assert.DoesNotContain(_upstream.Received, r => r.Contains("/echo/after", StringComparison.Ordinal));
    }

    private string Vaults(params string[] names) => "vaults:\n" + string.Concat(names.Select(name => $$"""
          - name: {{name}}
            credentials: { API_KEY: "local:api" }
            services:
              - name: api
                host: "api.upstream.test:{{_upstream.Port}}"
                auth: { type: bearer, token: API_KEY }

        """));

    private static string Agent(string name, string[] vaults, bool canMint) =>
        $"agents:\n  - name: {name}\n    vaults: [{string.Join(", ", vaults)}]\n    can_mint: {(canMint ? "true" : "false")}\n";

    private async Task ApplyAsync(string yaml, params string[] extra) => CliAssert.Ok(await _env.ApplyAsync(yaml, extra));

    private async Task<(string Token, string Id)> CreateAgentAsync(string name, string[] vaults)
    {
        var created = CliAssert.Json(await _env.Process.Cli.RunAsync(["agent", "create", name, .. vaults.SelectMany(v => new[] { "--vault", v }), "--can-mint", "--json"]));
        return (created.GetProperty("token").GetString()!, created.GetProperty("token_id").GetString()!);
    }

    private async Task<string> AdminMintAsync(string vault) =>
        CliAssert.Ok(await _env.Process.Cli.RunAsync("token", "mint", "--vault", vault, "--ttl", "1h")).Stdout.Trim();

    private async Task<(string Token, string Id)> AgentMintWithIdAsync(string agentToken, string vault)
    {
        var agentCli = _env.Process.Cli.With([new("AGENT_VAULT_TOKEN", agentToken), new("AGENT_VAULT_DATA_DIR", Path.Combine(_env.Process.WorkDir, "not-the-admin"))]);
        var minted = CliAssert.Json(await agentCli.RunAsync("token", "mint", "--vault", vault, "--ttl", "1h", "--json"));
        return (minted.GetProperty("token").GetString()!, minted.GetProperty("id").GetString()!);
    }

    /// <summary><c>token mint</c> on the agent side: the agent token, no admin token file.</summary>
    private async Task<string> AgentMintAsync(string agentToken, string vault) => (await AgentMintWithIdAsync(agentToken, vault)).Token;

    /// <summary>Whether <c>token list</c> shows the scoped token as revoked.</summary>
    private async Task<bool> IsListedRevokedAsync(string id)
    {
        using var list = JsonDocument.Parse(CliAssert.Ok(await _env.Process.Cli.RunAsync("token", "list", "--json")).Stdout);
        var token = list.RootElement.EnumerateArray().Single(t => t.GetProperty("id").GetString() == id);
        return token.GetProperty("revoked_at").ValueKind != JsonValueKind.Null;
    }

    /// <summary>The status an agent gets for CONNECT with <paramref name="token"/>, or, once the tunnel is up, for a GET inside it.</summary>
    private async Task<int> ProxyStatusAsync(string token, string vault)
    {
        await using var client = await RawProxyClient.ConnectAsync(_env.ProxyUri);
        var connect = await client.ConnectAsync(Authority, RawProxyClient.Basic(token, vault));
        if (connect.Status != 200)
        {
            return connect.Status;
        }

        await client.StartTlsAsync(Host, (certificate, errors) => TestCertificateAuthority.ValidateWithRoot(_env.Ca, certificate, errors));
        return (await client.SendAsync("GET", "/echo/scoped", [("Host", Authority)])).Status;
    }

    private async Task<RawProxyClient> OpenTunnelAsync(string token, string vault)
    {
        var client = await RawProxyClient.ConnectAsync(_env.ProxyUri);
        try
        {
            var connect = await client.ConnectAsync(Authority, RawProxyClient.Basic(token, vault));
            Assert.Equal(200, connect.Status);
            await client.StartTlsAsync(Host, (certificate, errors) => TestCertificateAuthority.ValidateWithRoot(_env.Ca, certificate, errors));
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}
