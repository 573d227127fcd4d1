using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.Tests.AzureKeyVault;

/// <summary>The store, through the real Azure SDK (Azure.Security.KeyVault.Secrets + Azure.Identity), against the HTTPS fake.</summary>
public sealed class AzureKeyVaultStoreTests : IClassFixture<FakeAzureFixture>
{
    private readonly FakeAzureFixture _azure;

    public AzureKeyVaultStoreTests(FakeAzureFixture azure) => _azure = azure;

    [Fact]
    public async Task ClientSecret_ReadsCurrentValueAndVersion()
    {
        var name = Unique();
        var version = _azure.Vault.SetSecret(name, "sk_azure_1");
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault);

        var value = await azure.GetAsync(name);

        Assert.Equal("sk_azure_1", value.Value);
        Assert.Equal(version, value.Version);
        Assert.Equal(1, _azure.Vault.Reads(name));
    }

    [Fact]
    public async Task NameSlashVersion_ReadsThatVersion()
    {
        var name = Unique();
        var first = _azure.Vault.SetSecret(name, "old");
        _azure.Vault.SetSecret(name, "new");
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault);

        var current = await azure.GetAsync(name);
        var old = await azure.GetAsync($"{name}/{first}");

        Assert.Equal("new", current.Value);
        Assert.Equal("old", old.Value);
        Assert.Equal(first, old.Version);
    }

    [Fact]
    public async Task JsonValue_ExposesFields()
    {
        var name = Unique();
        _azure.Vault.SetSecret(name, """{"username":"app","password":"pw-123"}""");
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault);

        var value = await azure.GetAsync(name);

        Assert.Equal("app", value.Fields["username"]);
        Assert.Equal("pw-123", value.Fields["password"]);
    }

    [Fact]
    public async Task SeveralReads_ReuseOneAccessToken()
    {
        var name = Unique();
        _azure.Vault.SetSecret(name, "v");
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault);
        var before = _azure.Vault.TokenRequests;

        await azure.GetAsync(name);
        await azure.GetAsync(name);
        await azure.GetAsync(name);

        Assert.Equal(1, _azure.Vault.TokenRequests - before);
        Assert.Equal(3, _azure.Vault.Reads(name));
    }

    [Fact]
    public async Task MissingSecret_FailsNotFound()
    {
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault);

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => azure.GetAsync(Unique()));

        Assert.Equal(SecretErrorCategory.NotFound, error.Category);
        Assert.Contains("SecretNotFound", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisabledSecret_FailsAccessDenied()
    {
        var name = Unique();
        _azure.Vault.SetSecret(name, "disabled-value");
        _azure.Vault.DisableSecret(name);
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault);

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => azure.GetAsync(name));

        Assert.Equal(SecretErrorCategory.AccessDenied, error.Category);
        Assert.DoesNotContain("disabled-value", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongClientSecret_FailsAccessDeniedWithoutEchoingIt()
    {
        var name = Unique();
        _azure.Vault.SetSecret(name, "v");
        const string wrong = "wrong-client-secret-value";
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault, wrong);

        var get = await Assert.ThrowsAsync<SecretStoreException>(() => azure.GetAsync(name));
        var test = await Assert.ThrowsAsync<SecretStoreException>(() => azure.Store.TestAsync(CancellationToken.None));

        Assert.Equal(SecretErrorCategory.AccessDenied, get.Category);
        Assert.Equal(SecretErrorCategory.AccessDenied, test.Category);
        Assert.DoesNotContain(wrong, get.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientSecretReference_IsReadAgainAfterRotation()
    {
        var name = Unique();
        _azure.Vault.SetSecret(name, "after-rotation");
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault, "stale-secret");
        await Assert.ThrowsAsync<SecretStoreException>(() => azure.GetAsync(name));

        azure.Bootstrap["env:AZURE_TEST_CLIENT_SECRET"] = _azure.Vault.ClientSecret;
        var value = await azure.GetAsync(name);

        Assert.Equal("after-rotation", value.Value);
    }

    [Fact]
    public async Task WorkloadIdentity_ExchangesFederatedTokenFile()
    {
        var name = Unique();
        _azure.Vault.SetSecret(name, "via-workload-identity");
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, _azure.Vault.FederatedToken);
        try
        {
            var settings = AzureStoreHarness.Settings(_azure.Vault, new JsonObject
            {
                ["method"] = "workload-identity",
                ["tenant_id"] = _azure.Vault.TenantId,
                ["client_id"] = _azure.Vault.ClientId,
                ["token_file"] = tokenFile,
            });
            await using var azure = new AzureStoreHarness(_azure.Vault, settings);

            var value = await azure.GetAsync(name);

            Assert.Equal("via-workload-identity", value.Value);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task TestWithValidCredentials_Succeeds()
    {
        _azure.Vault.SetSecret(Unique(), "v");
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault);

        await azure.Store.TestAsync(CancellationToken.None);

        Assert.True(_azure.Vault.Challenges > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b/c")]
    [InlineData("under_score")]
    [InlineData("name/")]
    public async Task MalformedReference_FailsNotFoundWithoutCallingVault(string path)
    {
        await using var azure = AzureStoreHarness.WithClientSecret(_azure.Vault);

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => azure.GetAsync(path));

        Assert.Equal(SecretErrorCategory.NotFound, error.Category);
    }

    private static string Unique() => "s-" + Guid.NewGuid().ToString("N");
}
