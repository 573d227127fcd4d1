using AgentVault.Testing.Fakes.Azure;

namespace AgentVault.Functional.Tests.Stores;

/// <summary>
/// End to end: curl → broker proxy → upstream, with the credential resolved from the fake Azure Key Vault (HTTPS,
/// Entra ID token endpoint) by the real <c>AzureKeyVault</c> plugin and the Azure SDK loaded from the broker's plugins folder.
/// </summary>
public sealed class AzureStoreEndToEndTests : IAsyncLifetime
{
    private const string Key = "SENDGRID_KEY";
    private const string Secret = "sendgrid-api-key";
    private FakeAzureKeyVault _vault = null!;

    public async Task InitializeAsync()
    {
        // One CA for the fake vault and the upstream: the broker gets it as its single --upstream-ca.
        _vault = await FakeAzureKeyVault.StartAsync(FakeAzureCertificates.Create(StoreProxyHarness.UpstreamHost));
        _vault.SetSecret(Secret, "SG.first");
    }

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task ValueInStore_ReachesUpstreamAndChangesAfterTtl()
    {
        await using var e2e = await StartAsync(_vault.ClientSecret, ttl: "1s", maxStale: "5m");

        var first = await e2e.GetAsync(Key);
        Assert.Equal(200, first.Status);
        Assert.Equal("Bearer SG.first", e2e.Upstream.Authorizations.Last());

        _vault.SetSecret(Secret, "SG.second");
        await e2e.PollAsync(Key, r => r.Status == 200 && e2e.Upstream.Authorizations.Last() == "Bearer SG.second", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task StoreStopped_CachedValueServedUntilMaxStaleThen502()
    {
        await using var e2e = await StartAsync(_vault.ClientSecret, ttl: "1s", maxStale: "8s");
        Assert.Equal(200, (await e2e.GetAsync(Key)).Status);

        await _vault.StopAsync();

        await e2e.PollAsync(
            Key,
            r =>
            {
                Assert.True(r.Status == 200 || r.Body.Contains("credential_unavailable", StringComparison.Ordinal), r.ToString());
                return r.Status == 200 && e2e.Broker.Stderr.Contains("serving the cached value within max_stale", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30));
        Assert.All(e2e.Upstream.Authorizations, a => Assert.Equal("Bearer SG.first", a));

        var failed = await e2e.PollAsync(Key, r => r.Status == 502, TimeSpan.FromSeconds(60));
        Assert.Contains("credential_unavailable", failed.Body, StringComparison.Ordinal);
        Assert.Contains("azure", failed.Body, StringComparison.Ordinal);
        Assert.Contains(Key, failed.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("SG.first", failed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentFirstRequests_ReadTheStoreOnce()
    {
        await using var e2e = await StartAsync(_vault.ClientSecret, ttl: "5m", maxStale: "5m");
        var before = _vault.Reads(Secret);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => e2e.GetAsync(Key)));

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.Equal(8, e2e.Upstream.Authorizations.Count(a => a == "Bearer SG.first"));
        Assert.Equal(1, _vault.Reads(Secret) - before);
    }

    [Fact]
    public async Task RightKey_StoreTestAndCredentialCheckSucceedWithoutPrintingValues()
    {
        await using var e2e = await StartAsync(_vault.ClientSecret, ttl: "1m", maxStale: "1m");

        var test = await e2e.Broker.Cli.RunAsync("store", "test", "azure");
        var check = await e2e.Broker.Cli.RunAsync("vault", "credential", "check", "--vault", StoreProxyHarness.Vault, "--json");

        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("ok", test.Stdout, StringComparison.Ordinal);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains(Key, check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("SG.", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_StoreTestAndCredentialCheckFailWithoutLeakingIt()
    {
        const string wrong = "wrong-client-secret-for-e2e";
        await using var e2e = await StartAsync(wrong, ttl: "1m", maxStale: "1m");

        var test = await e2e.Broker.Cli.RunAsync("store", "test", "azure");
        var check = await e2e.Broker.Cli.RunAsync("vault", "credential", "check", "--vault", StoreProxyHarness.Vault);

        Assert.True(test.ExitCode == 1, test.ToString());
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains(Key, check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, test.Output + check.Output + e2e.Broker.Stderr + e2e.Broker.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_RequestGets502CredentialUnavailable()
    {
        await using var e2e = await StartAsync("wrong-client-secret-for-e2e", ttl: "1m", maxStale: "1m");

        var response = await e2e.GetAsync(Key);

        Assert.Equal(502, response.Status);
        Assert.Contains("credential_unavailable", response.Body, StringComparison.Ordinal);
        Assert.Contains(Key, response.Body, StringComparison.Ordinal);
        Assert.Empty(e2e.Upstream.Authorizations);
    }

    private async Task<StoreProxyHarness> StartAsync(string clientSecret, string ttl, string maxStale)
    {
        var e2e = await StoreProxyHarness.StartAsync(_vault.Certificates, new Dictionary<string, string?> { ["E2E_AZURE_CLIENT_SECRET"] = clientSecret });
        var stores = $"""
            stores:
              - name: azure
                type: azure-key-vault
                settings:
                  vault_url: "{_vault.Url}"
                  authority_host: "{_vault.Url}"
                  disable_challenge_resource_verification: true
                  disable_instance_discovery: true
                  auth:
                    method: client-secret
                    tenant_id: "{_vault.TenantId}"
                    client_id: "{_vault.ClientId}"
                    client_secret: "env:E2E_AZURE_CLIENT_SECRET"
                cache: {"{"} ttl: {ttl}, max_stale: {maxStale} {"}"}

            """;
        await e2e.ConfigureAsync(stores, new Dictionary<string, string> { [Key] = $"azure:{Secret}" });
        return e2e;
    }
}
