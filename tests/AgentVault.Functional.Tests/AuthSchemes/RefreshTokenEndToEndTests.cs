using System.Text.Json;
using AgentVault.Testing.Fakes.OAuth;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// oauth2-refresh-token end to end: a refresh token seeded at the real oidc-provider (which rotates refresh tokens on
/// every use) is exchanged by the broker; the agent's requests carry access tokens the provider issued, the rotated
/// refresh token is used for the next exchange, and <c>credential check</c> says the stored one is stale.
/// </summary>
public sealed class RefreshTokenEndToEndTests(OAuthBrokerFixture fixture) : IClassFixture<OAuthBrokerFixture>
{
    [Fact]
    public async Task StoredRefreshToken_UpstreamGetsAProviderIssuedToken_ReusedAcrossRequests()
    {
        var first = OAuthBrokerFixture.FreshPath("refresh");
        var second = OAuthBrokerFixture.FreshPath("refresh");

        Assert.Equal(200, (await fixture.CurlAsync(first)).Status);
        Assert.Equal(200, (await fixture.CurlAsync(second)).Status);

        var token = Assert.Single(fixture.Upstream.TokensFor(first));
        Assert.Equal(token, Assert.Single(fixture.Upstream.TokensFor(second)));
        var introspection = await fixture.Provider.IntrospectAsync(token);
        Assert.True(introspection.GetProperty("active").GetBoolean(), introspection.ToString());
        Assert.Equal(OidcProviderServer.PostClientId, introspection.GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task RotatedRefreshToken_NextExchangeUsesIt_AndCredentialCheckWarnsStale()
    {
        // The 401 forces a second exchange, which only works with the refresh token the provider rotated to.
        var path = OAuthBrokerFixture.FreshPath("refresh") + "/reject-once/x";

        var response = await fixture.CurlAsync(path);
        var check = await fixture.Broker.Cli.RunAsync("vault", "credential", "check", "--vault", OAuthBrokerFixture.Vault, "--json");

        Assert.Equal(200, response.Status);
        var tokens = fixture.Upstream.TokensFor(path);
        Assert.Equal(2, tokens.Count);
        Assert.NotEqual(tokens[0], tokens[1]);
        Assert.True((await fixture.Provider.IntrospectAsync(tokens[1])).GetProperty("active").GetBoolean());
        Assert.True(fixture.MintCount("rt-refresh", "refresh-token") >= 2, fixture.Broker.Stderr);
        Assert.Contains("the stored credential REFRESH_TOKEN is now stale", fixture.Broker.Stderr, StringComparison.Ordinal);

        Assert.True(check.ExitCode == 0, check.ToString());
        using var results = JsonDocument.Parse(check.Stdout);
        var entry = results.RootElement.EnumerateArray().Single(e => e.GetProperty("key").GetString() == "REFRESH_TOKEN");
        Assert.True(entry.GetProperty("ok").GetBoolean());
        var warning = Assert.Single(entry.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("service 'rt-refresh'", warning, StringComparison.Ordinal);
        Assert.Contains("stale", warning, StringComparison.Ordinal);

        foreach (var text in new[] { response.ToString(), check.Output, fixture.Broker.Stdout, fixture.Broker.Stderr })
        {
            Assert.DoesNotContain(fixture.Provider.RefreshTokenPost, text, StringComparison.Ordinal);
            Assert.All(tokens, t => Assert.DoesNotContain(t, text, StringComparison.Ordinal));
        }
    }
}
