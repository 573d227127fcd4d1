using System.Text.Json;
using AgentVault.Testing.Fakes.OAuth;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// oauth2-client-credentials end to end: curl as the agent through the real broker, the real oidc-provider minting the
/// token, and an upstream that records what it received. The agent sends its own dummy bearer token, which never arrives.
/// </summary>
public sealed class ClientCredentialsEndToEndTests(OAuthBrokerFixture fixture) : IClassFixture<OAuthBrokerFixture>
{
    [Fact]
    public async Task ClientSecretBasicWithResource_UpstreamGetsAJwtTheProviderSigned()
    {
        var path = OAuthBrokerFixture.FreshPath("jwt");

        var response = await fixture.CurlAsync(path);

        Assert.Equal(200, response.Status);
        var token = Assert.Single(fixture.Upstream.TokensFor(path));
        var claims = await fixture.Provider.VerifyJwtAsync(token);
        Assert.Equal(OidcProviderServer.BasicClientId, claims.GetProperty("client_id").GetString());
        Assert.Equal(OAuthBrokerFixture.Resource, claims.GetProperty("aud").GetString());
        Assert.Contains("api:read", claims.GetProperty("scope").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecretPostWithoutResource_UpstreamGetsAnOpaqueTokenTheProviderCallsActive()
    {
        var path = OAuthBrokerFixture.FreshPath("opaque");

        var response = await fixture.CurlAsync(path);

        Assert.Equal(200, response.Status);
        var token = Assert.Single(fixture.Upstream.TokensFor(path));
        Assert.NotEqual("agent-dummy-token", token);
        var introspection = await fixture.Provider.IntrospectAsync(token);
        Assert.True(introspection.GetProperty("active").GetBoolean(), introspection.ToString());
        Assert.Equal(OidcProviderServer.PostClientId, introspection.GetProperty("client_id").GetString());
    }

    [Fact]
    public async Task SeveralRequests_ShareOneMintedToken()
    {
        var paths = Enumerable.Range(0, 4).Select(_ => OAuthBrokerFixture.FreshPath("reuse")).ToArray();
        var mintsBefore = fixture.MintCount("cc-reuse");

        foreach (var path in paths)
        {
            Assert.Equal(200, (await fixture.CurlAsync(path)).Status);
        }

        var tokens = paths.Select(p => Assert.Single(fixture.Upstream.TokensFor(p))).ToArray();
        Assert.Single(tokens.Distinct(StringComparer.Ordinal));
        await fixture.Provider.VerifyJwtAsync(tokens[0]);
        Assert.Equal(1, fixture.MintCount("cc-reuse") - mintsBefore);
    }

    [Fact]
    public async Task Upstream401OnGet_OneRefreshAndOneRetryWithANewToken()
    {
        var path = OAuthBrokerFixture.FreshPath("retry") + "/reject-once/get";
        Assert.Equal(200, (await fixture.CurlAsync(OAuthBrokerFixture.FreshPath("retry"))).Status);

        var response = await fixture.CurlAsync(path);

        Assert.Equal(200, response.Status);
        var tokens = fixture.Upstream.TokensFor(path);
        Assert.Equal(2, tokens.Count);
        Assert.NotEqual(tokens[0], tokens[1]);
        foreach (var token in tokens)
        {
            await fixture.Provider.VerifyJwtAsync(token);
        }
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task Upstream401OnRequestWithBody_IsReturnedWithoutRetry(string method)
    {
        var path = OAuthBrokerFixture.FreshPath("retry") + "/reject-once/" + method.ToLowerInvariant();

        var response = await fixture.CurlAsync(path, "-X", method, "-H", "Content-Type: application/json", "--data", "{\"n\":1}");

        Assert.True(response.Status == 401, response + "\n" + fixture.Broker.Stderr);
        Assert.Single(fixture.Upstream.TokensFor(path));
    }

    [Fact]
    public async Task WrongClientSecret_502CredentialUnavailable_NothingForwarded_NoSecretAnywhere()
    {
        var path = OAuthBrokerFixture.FreshPath("wrong");

        var response = await fixture.CurlAsync(path);

        Assert.Equal(502, response.Status);
        Assert.Equal("credential_unavailable", response.Header("x-agent-vault-error"));
        Assert.StartsWith("application/problem+json", response.Header("content-type"), StringComparison.Ordinal);
        using var problem = JsonDocument.Parse(response.Body);
        Assert.Equal("credential_unavailable", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(502, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("cc-wrong", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // The token endpoint's address and its answer are the operator's to read (server log), not the agent's.
        Assert.DoesNotContain(fixture.Provider.TokenUrl.Authority, response.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("invalid_client", response.ToString(), StringComparison.Ordinal);
        Assert.True(await fixture.Broker.WaitForLogAsync("invalid_client"), "the token endpoint's error is not in the server log");
        Assert.Empty(fixture.Upstream.TokensFor(path));
        foreach (var text in new[] { response.ToString(), fixture.Broker.Stdout, fixture.Broker.Stderr })
        {
            Assert.DoesNotContain(OAuthBrokerFixture.WrongSecret, text, StringComparison.Ordinal);
            Assert.DoesNotContain(OidcProviderServer.ClientSecret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MintedTokens_NeverAppearInBrokerOutput()
    {
        var path = OAuthBrokerFixture.FreshPath("jwt");
        Assert.Equal(200, (await fixture.CurlAsync(path)).Status);

        var logs = await fixture.Broker.Cli.RunAsync("logs", "--vault", OAuthBrokerFixture.Vault, "--json");

        Assert.True(logs.ExitCode == 0, logs.ToString());
        var output = fixture.Broker.Stdout + fixture.Broker.Stderr + logs.Output;
        Assert.Contains("client-credentials access token obtained", output, StringComparison.Ordinal);
        Assert.All(fixture.Upstream.Requests.Select(r => r.BearerToken).Where(t => t.Length > 0), token => Assert.DoesNotContain(token, output, StringComparison.Ordinal));
        Assert.DoesNotContain(OidcProviderServer.ClientSecret, output, StringComparison.Ordinal);
    }
}
