using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.Tests.Infisical;

public sealed class InfisicalReadTests : IAsyncLifetime
{
    private InfisicalHarness _h = null!;

    public async Task InitializeAsync() => _h = await InfisicalHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("/payments/STRIPE_KEY", "payments", "STRIPE_KEY")]
    [InlineData("payments/STRIPE_KEY", "payments", "STRIPE_KEY")]
    [InlineData("/OPENAI_KEY", "/", "OPENAI_KEY")]
    [InlineData("/team/payments/STRIPE_KEY", "/team/payments", "STRIPE_KEY")]
    public async Task SecretByPath_IsReadFromItsFolder(string path, string folder, string name)
    {
        _h.Server.SetSecret("prod", folder, name, "sk_live_1");
        var store = _h.CreateStore();

        var value = await store.GetSecretAsync(new SecretRequest(path), default);

        Assert.Equal("sk_live_1", value.Value);
        Assert.Equal("1", value.Version);
        Assert.Null(value.Lease);
    }

    [Fact]
    public async Task LatestVersion_IsReadAndVersionQuerySelectsAnOlderOne()
    {
        _h.Server.SetSecret("prod", "/payments", "STRIPE_KEY", "old");
        _h.Server.SetSecret("prod", "/payments", "STRIPE_KEY", "new");
        var store = _h.CreateStore();

        var latest = await store.GetSecretAsync(new SecretRequest("/payments/STRIPE_KEY"), default);
        var first = await store.GetSecretAsync(new SecretRequest("/payments/STRIPE_KEY", new Dictionary<string, string> { ["version"] = "1" }), default);

        Assert.Equal(("new", "2"), (latest.Value, latest.Version));
        Assert.Equal(("old", "1"), (first.Value, first.Version));
    }

    [Fact]
    public async Task EnvironmentQuery_OverridesTheStoreEnvironment()
    {
        _h.Server.SetSecret("prod", "/", "KEY", "prod-value");
        _h.Server.SetSecret("staging", "/", "KEY", "staging-value");
        var store = _h.CreateStore();

        var value = await store.GetSecretAsync(new SecretRequest("/KEY", new Dictionary<string, string> { ["environment"] = "staging" }), default);

        Assert.Equal("staging-value", value.Value);
    }

    [Fact]
    public async Task JsonSecret_IsReturnedWholeForFieldSelection()
    {
        _h.Server.SetSecret("prod", "/db", "CREDS", """{"user":"app","password":"pw"}""");
        var store = _h.CreateStore();

        var value = await store.GetSecretAsync(new SecretRequest("/db/CREDS"), default);

        Assert.Equal("""{"user":"app","password":"pw"}""", value.Value);
    }

    [Theory]
    [InlineData("/payments/MISSING", SecretErrorCategory.NotFound)]
    [InlineData("/other-folder/STRIPE_KEY", SecretErrorCategory.NotFound)]
    [InlineData("/payments/../STRIPE_KEY", SecretErrorCategory.InvalidConfiguration)]
    [InlineData("/", SecretErrorCategory.InvalidConfiguration)]
    public async Task BadPath_FailsWithCategory(string path, SecretErrorCategory category)
    {
        _h.Server.SetSecret("prod", "/payments", "STRIPE_KEY", "v");
        var store = _h.CreateStore();

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest(path), default));

        Assert.Equal(category, ex.Category);
    }

    [Fact]
    public async Task UnknownOption_IsInvalidConfiguration()
    {
        var store = _h.CreateStore();

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("/KEY", new Dictionary<string, string> { ["stage"] = "x" }), default));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("stage", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongProject_IsAccessDenied()
    {
        _h.Server.SetSecret("prod", "/", "KEY", "v");
        var (clientId, clientSecret) = _h.Server.AddIdentity();
        _h.Bootstrap["env:I"] = clientId;
        _h.Bootstrap["env:S"] = clientSecret;
        var store = _h.CreateStoreFromJson($$"""{ "site_url": "{{_h.Server.Address}}", "client_id": "env:I", "client_secret": "env:S", "project_id": "someone-elses", "environment": "prod" }""");

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("/KEY"), default));

        Assert.Equal(SecretErrorCategory.AccessDenied, ex.Category);
    }

    [Fact]
    public async Task StoppedServer_IsUnavailable()
    {
        _h.Server.SetSecret("prod", "/", "KEY", "v");
        var store = _h.CreateStore();
        _h.Server.Stopped = true;

        var ex = await Assert.ThrowsAsync<SecretStoreException>(() => store.GetSecretAsync(new SecretRequest("/KEY"), default));

        Assert.Equal(SecretErrorCategory.Unavailable, ex.Category);
    }

    [Fact]
    public async Task EveryRead_GoesToInfisical()
    {
        _h.Server.SetSecret("prod", "/", "KEY", "v1");
        var store = _h.CreateStore();

        await store.GetSecretAsync(new SecretRequest("/KEY"), default);
        _h.Server.SetSecret("prod", "/", "KEY", "v2");
        var second = await store.GetSecretAsync(new SecretRequest("/KEY"), default);

        Assert.Equal("v2", second.Value);
        Assert.Equal(2, _h.Server.RequestCount("GET", "/api/v3/secrets/raw/KEY"));
        Assert.Equal(1, _h.Server.Logins);
    }
}
