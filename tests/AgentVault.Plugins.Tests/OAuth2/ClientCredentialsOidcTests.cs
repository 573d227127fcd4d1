using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.OAuth2;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Fakes.OAuth;

namespace AgentVault.Plugins.Tests.OAuth2;

/// <summary><c>oauth2-client-credentials</c> against a real oidc-provider over HTTPS.</summary>
public sealed class ClientCredentialsOidcTests : IAsyncLifetime
{
    private OidcProviderServer _provider = null!;

    public async Task InitializeAsync() => _provider = await OidcProviderServer.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Theory]
    [InlineData("client_secret_basic", OidcProviderServer.BasicClientId)]
    [InlineData("client_secret_post", OidcProviderServer.PostClientId)]
    [InlineData(null, OidcProviderServer.BasicClientId)]
    public async Task ValidClient_InjectsTokenTheProviderIssued(string? authMethod, string clientId)
    {
        var settings = Settings(authMethod);
        using var counter = new CountingHandler();
        using var client = _provider.CreateClient(counter);
        var logs = new CapturingLoggerFactory();
        var scheme = SchemeHarness.Create(Factory(), settings, client, logs);
        var credentials = Credentials(clientId, OidcProviderServer.ClientSecret);

        var (request, auth) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.Equal("Bearer", request.Headers.Authorization?.Scheme);
        var token = request.Headers.Authorization!.Parameter!;
        var introspection = await _provider.IntrospectAsync(token);
        Assert.True(introspection.GetProperty("active").GetBoolean());
        Assert.Equal(clientId, introspection.GetProperty("client_id").GetString());
        Assert.Contains(token, auth.InjectedValues);
        Assert.Equal(1, counter.Count);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(token, StringComparison.Ordinal) || m.Contains(OidcProviderServer.ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManyRequests_OneTokenRequest()
    {
        using var counter = new CountingHandler();
        using var client = _provider.CreateClient(counter);
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, new CapturingLoggerFactory());
        var credentials = Credentials(OidcProviderServer.BasicClientId, OidcProviderServer.ClientSecret);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SchemeHarness.ApplyAsync(scheme, credentials)));

        Assert.Single(results.Select(r => r.Request.Headers.Authorization!.Parameter).Distinct());
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task Unauthorized_DropsTokenAndMintsNewOne()
    {
        using var counter = new CountingHandler();
        using var client = _provider.CreateClient(counter);
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, new CapturingLoggerFactory());
        var credentials = Credentials(OidcProviderServer.BasicClientId, OidcProviderServer.ClientSecret);
        var (first, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.True(await scheme.OnUnauthorizedAsync(CancellationToken.None));
        var (second, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.NotEqual(first.Headers.Authorization!.Parameter, second.Headers.Authorization!.Parameter);
        Assert.Equal(2, counter.Count);
    }

    [Fact]
    public async Task RotatedSecret_MintsWithNewValue()
    {
        using var counter = new CountingHandler();
        using var client = _provider.CreateClient(counter);
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, new CapturingLoggerFactory());
        var credentials = Credentials(OidcProviderServer.BasicClientId, "an-old-secret");
        await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, credentials));

        credentials.Set("OAUTH_CLIENT_SECRET", OidcProviderServer.ClientSecret);
        var (request, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.True((await _provider.IntrospectAsync(request.Headers.Authorization!.Parameter!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task WrongSecret_ThrowsWithoutSecret()
    {
        using var client = _provider.CreateClient();
        var logs = new CapturingLoggerFactory();
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, logs);
        const string wrong = "wrong-secret-value-1234";

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, Credentials(OidcProviderServer.BasicClientId, wrong)));

        Assert.Contains("invalid_client", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(wrong, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resource_GetsJwtAccessTokenSignedByProvider()
    {
        using var client = _provider.CreateClient();
        var settings = Settings(null);
        settings["resource"] = "https://api.internal.test/";
        settings["scope"] = "api:read";
        var scheme = SchemeHarness.Create(Factory(), settings, client, new CapturingLoggerFactory());

        var (request, _) = await SchemeHarness.ApplyAsync(scheme, Credentials(OidcProviderServer.BasicClientId, OidcProviderServer.ClientSecret));

        var payload = await _provider.VerifyJwtAsync(request.Headers.Authorization!.Parameter!);
        Assert.Equal("https://api.internal.test/", payload.GetProperty("aud").GetString());
        Assert.Equal("api:read", payload.GetProperty("scope").GetString());
        Assert.Equal(OidcProviderServer.BasicClientId, payload.GetProperty("client_id").GetString());
    }

    private static IAuthSchemeFactory Factory() => SchemeHarness.Factory(new OAuth2Plugin(), "oauth2-client-credentials");

    private JsonObject Settings(string? authMethod)
    {
        var settings = new JsonObject
        {
            ["token_url"] = _provider.TokenUrl.ToString(),
            ["client_id"] = "OAUTH_CLIENT_ID",
            ["client_secret"] = "OAUTH_CLIENT_SECRET",
        };
        if (authMethod is not null)
        {
            settings["auth_method"] = authMethod;
        }

        return settings;
    }

    private static MapCredentials Credentials(string id, string secret) =>
        new(new Dictionary<string, string> { ["OAUTH_CLIENT_ID"] = id, ["OAUTH_CLIENT_SECRET"] = secret });
}
