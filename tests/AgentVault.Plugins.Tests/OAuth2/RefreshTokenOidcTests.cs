using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.OAuth2;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Fakes.OAuth;

namespace AgentVault.Plugins.Tests.OAuth2;

/// <summary><c>oauth2-refresh-token</c> against a real oidc-provider that rotates refresh tokens on every use.</summary>
public sealed class RefreshTokenOidcTests : IAsyncLifetime
{
    private const string RefreshKey = "OAUTH_REFRESH_TOKEN";
    private OidcProviderServer _provider = null!;

    public async Task InitializeAsync() => _provider = await OidcProviderServer.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Theory]
    [InlineData("client_secret_basic", OidcProviderServer.BasicClientId)]
    [InlineData("client_secret_post", OidcProviderServer.PostClientId)]
    [InlineData("public", OidcProviderServer.PublicClientId)]
    public async Task StoredRefreshToken_InjectsTokenTheProviderIssued(string authMethod, string clientId)
    {
        var isPublic = authMethod == "public";
        var settings = Settings(isPublic ? null : authMethod, withSecret: !isPublic);
        using var counter = new CountingHandler();
        using var client = _provider.CreateClient(counter);
        var logs = new CapturingLoggerFactory();
        var scheme = SchemeHarness.Create(Factory(), settings, client, logs);
        var stored = clientId switch
        {
            OidcProviderServer.PostClientId => _provider.RefreshTokenPost,
            OidcProviderServer.PublicClientId => _provider.RefreshTokenPublic,
            _ => _provider.RefreshTokenBasic,
        };

        var (request, auth) = await SchemeHarness.ApplyAsync(scheme, Credentials(clientId, stored));

        Assert.Equal("Bearer", request.Headers.Authorization?.Scheme);
        var token = request.Headers.Authorization!.Parameter!;
        var introspection = await _provider.IntrospectAsync(token);
        Assert.True(introspection.GetProperty("active").GetBoolean());
        Assert.Equal(clientId, introspection.GetProperty("client_id").GetString());
        Assert.Equal("user-1", introspection.GetProperty("sub").GetString());
        Assert.Contains(token, auth.InjectedValues);
        Assert.Equal(1, counter.Count);
        Assert.DoesNotContain(logs.Messages, m =>
            m.Contains(token, StringComparison.Ordinal) || m.Contains(stored, StringComparison.Ordinal) || m.Contains(OidcProviderServer.ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManyRequests_OneTokenRequest()
    {
        using var counter = new CountingHandler();
        using var client = _provider.CreateClient(counter);
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, new CapturingLoggerFactory());
        var credentials = Credentials(OidcProviderServer.BasicClientId, _provider.RefreshTokenBasic);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SchemeHarness.ApplyAsync(scheme, credentials)));

        Assert.Single(results.Select(r => r.Request.Headers.Authorization!.Parameter).Distinct());
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public async Task RotatedRefreshToken_IsUsedFromMemoryAndStoredOneReportedStale()
    {
        using var recorder = new TokenExchangeRecorder();
        using var client = _provider.CreateClient(recorder);
        var logs = new CapturingLoggerFactory();
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, logs);
        var stored = _provider.RefreshTokenBasic;
        var credentials = Credentials(OidcProviderServer.BasicClientId, stored);
        Assert.Empty(((IAuthSchemeStatus)scheme).Notices);

        var (first, _) = await SchemeHarness.ApplyAsync(scheme, credentials);
        Assert.True(await scheme.OnUnauthorizedAsync(CancellationToken.None));
        var (second, _) = await SchemeHarness.ApplyAsync(scheme, credentials);
        Assert.True(await scheme.OnUnauthorizedAsync(CancellationToken.None));
        var (third, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        // Each exchange sent the refresh token the previous answer rotated to, never the stored one again.
        var exchanges = recorder.Exchanges;
        Assert.Equal(3, exchanges.Count);
        Assert.All(exchanges, e => Assert.Equal(200, e.Status));
        Assert.Equal(stored, exchanges[0].Form["refresh_token"]);
        Assert.Equal(exchanges[0].IssuedRefreshToken, exchanges[1].Form["refresh_token"]);
        Assert.Equal(exchanges[1].IssuedRefreshToken, exchanges[2].Form["refresh_token"]);
        Assert.NotEqual(stored, exchanges[1].Form["refresh_token"]);
        foreach (var request in new[] { second, third })
        {
            Assert.True((await _provider.IntrospectAsync(request.Headers.Authorization!.Parameter!)).GetProperty("active").GetBoolean());
        }

        Assert.NotEqual(first.Headers.Authorization!.Parameter, third.Headers.Authorization!.Parameter);

        // The operator is told once, by key, never by value.
        var warning = Assert.Single(logs.Messages, m => m.Contains("rotated the refresh token", StringComparison.Ordinal));
        Assert.Contains(RefreshKey, warning, StringComparison.Ordinal);
        var notice = Assert.Single(((IAuthSchemeStatus)scheme).Notices);
        Assert.Equal(RefreshKey, notice.CredentialKey);
        Assert.StartsWith("stale", notice.Message, StringComparison.Ordinal);
        var issued = exchanges.Select(e => e.IssuedRefreshToken!).Append(stored).ToList();
        Assert.DoesNotContain(logs.Messages.Append(notice.Message), m => issued.Exists(t => m.Contains(t, StringComparison.Ordinal)));

        // The stored token alone no longer works: a broker without the in-memory one is refused by the provider.
        using var freshClient = _provider.CreateClient();
        var fresh = SchemeHarness.Create(Factory(), Settings(null), freshClient, new CapturingLoggerFactory());
        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(fresh, credentials));
        Assert.Contains("invalid_grant", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SchemeRecreatedAfterConfigChange_KeepsRotatedToken()
    {
        var factory = Factory();
        using var recorder = new TokenExchangeRecorder();
        using var client = _provider.CreateClient(recorder);
        var credentials = Credentials(OidcProviderServer.BasicClientId, _provider.RefreshTokenBasic);
        await SchemeHarness.ApplyAsync(SchemeHarness.Create(factory, Settings(null), client, new CapturingLoggerFactory()), credentials);

        var recreated = SchemeHarness.Create(factory, Settings(null), client, new CapturingLoggerFactory());
        var (request, _) = await SchemeHarness.ApplyAsync(recreated, credentials);

        Assert.Equal(recorder.Exchanges[0].IssuedRefreshToken, recorder.Exchanges[1].Form["refresh_token"]);
        Assert.True((await _provider.IntrospectAsync(request.Headers.Authorization!.Parameter!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task CallerGivesUpDuringExchange_RotatedTokenIsStillKept()
    {
        using var holding = new HoldingHandler();
        using var client = _provider.CreateClient(holding);
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, new CapturingLoggerFactory());
        var credentials = Credentials(OidcProviderServer.BasicClientId, _provider.RefreshTokenBasic);
        using var caller = new CancellationTokenSource();
        var first = scheme.ApplyAsync(new AuthRequest(new HttpRequestMessage(HttpMethod.Get, "https://api.example.test/"), credentials), caller.Token).AsTask();

        // The provider has consumed the stored refresh token and rotated it; now the agent hangs up.
        await holding.Answered.WaitAsync(TimeSpan.FromSeconds(60));
        await caller.CancelAsync();
        holding.Release();
        await first;
        await scheme.OnUnauthorizedAsync(CancellationToken.None);
        var (request, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.True((await _provider.IntrospectAsync(request.Headers.Authorization!.Parameter!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task StoredRefreshTokenReplaced_StoredOneIsUsedAgain()
    {
        using var recorder = new TokenExchangeRecorder();
        using var client = _provider.CreateClient(recorder);
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, new CapturingLoggerFactory());
        var credentials = Credentials(OidcProviderServer.BasicClientId, _provider.RefreshTokenBasic);
        await SchemeHarness.ApplyAsync(scheme, credentials);

        credentials.Set(RefreshKey, _provider.RefreshTokenBasic2);
        var (request, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        Assert.Equal(2, recorder.Exchanges.Count);
        Assert.Equal(_provider.RefreshTokenBasic2, recorder.Exchanges[1].Form["refresh_token"]);
        Assert.True((await _provider.IntrospectAsync(request.Headers.Authorization!.Parameter!)).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task WrongClientSecret_ThrowsWithoutSecrets()
    {
        using var client = _provider.CreateClient();
        var logs = new CapturingLoggerFactory();
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, logs);
        const string wrong = "wrong-secret-value-1234";
        var credentials = Credentials(OidcProviderServer.BasicClientId, _provider.RefreshTokenBasic);
        credentials.Set("OAUTH_CLIENT_SECRET", wrong);

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, credentials));

        Assert.Contains("invalid_client", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_provider.RefreshTokenBasic, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(wrong, StringComparison.Ordinal) || m.Contains(_provider.RefreshTokenBasic, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RevokedRefreshToken_ThrowsInvalidGrant()
    {
        await _provider.RevokeAsync(_provider.RefreshTokenBasic);
        using var client = _provider.CreateClient();
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, new CapturingLoggerFactory());

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(
            () => SchemeHarness.ApplyAsync(scheme, Credentials(OidcProviderServer.BasicClientId, _provider.RefreshTokenBasic)));

        Assert.Contains("invalid_grant", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_provider.RefreshTokenBasic, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotatedTokenRevoked_ErrorNamesStaleStoredKey()
    {
        using var recorder = new TokenExchangeRecorder();
        using var client = _provider.CreateClient(recorder);
        var scheme = SchemeHarness.Create(Factory(), Settings(null), client, new CapturingLoggerFactory());
        var credentials = Credentials(OidcProviderServer.BasicClientId, _provider.RefreshTokenBasic);
        await SchemeHarness.ApplyAsync(scheme, credentials);
        var rotated = recorder.Exchanges[0].IssuedRefreshToken!;
        await _provider.RevokeAsync(rotated);
        await scheme.OnUnauthorizedAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, credentials));

        Assert.Equal(RefreshKey, ex.CredentialKey);
        Assert.Contains("invalid_grant", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"stored {RefreshKey} is stale", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated, ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("refresh_token", null, "refresh_token")]
    [InlineData("refresh_token", "rt-literal-value", "refresh_token")]
    [InlineData("client_id", null, "client_id")]
    [InlineData("token_url", "http://idp.example.com/token", "token_url")]
    [InlineData("auth_method", "private_key_jwt", "auth_method")]
    [InlineData("audience", "x", "audience")]
    public void BadSettings_AreReported(string setting, string? value, string path)
    {
        var settings = new JsonObject
        {
            ["token_url"] = "https://idp.example.com/token",
            ["client_id"] = "OAUTH_CLIENT_ID",
            ["refresh_token"] = RefreshKey,
        };
        settings[setting] = value;
        if (value is null)
        {
            settings.Remove(setting);
        }

        var problems = SchemeHarness.Validate(Factory(), settings);

        Assert.Contains(problems, p => p.Path == path);
        Assert.DoesNotContain(problems, p => value is not null && p.Message.Contains(value, StringComparison.Ordinal));
    }

    private static IAuthSchemeFactory Factory() => SchemeHarness.Factory(new OAuth2Plugin(), "oauth2-refresh-token");

    private JsonObject Settings(string? authMethod, bool withSecret = true)
    {
        var settings = new JsonObject
        {
            ["token_url"] = _provider.TokenUrl.ToString(),
            ["client_id"] = "OAUTH_CLIENT_ID",
            ["refresh_token"] = RefreshKey,
        };
        if (withSecret)
        {
            settings["client_secret"] = "OAUTH_CLIENT_SECRET";
        }

        if (authMethod is not null)
        {
            settings["auth_method"] = authMethod;
        }

        return settings;
    }

    private static MapCredentials Credentials(string id, string refreshToken) =>
        new(new Dictionary<string, string>
        {
            ["OAUTH_CLIENT_ID"] = id,
            ["OAUTH_CLIENT_SECRET"] = OidcProviderServer.ClientSecret,
            [RefreshKey] = refreshToken,
        });
}
