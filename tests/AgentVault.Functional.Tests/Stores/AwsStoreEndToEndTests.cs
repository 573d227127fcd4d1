using AgentVault.Testing.Fakes.Azure;
using AgentVault.Testing.Fakes.Moto;

namespace AgentVault.Functional.Tests.Stores;

/// <summary>
/// End to end: curl → broker proxy → upstream, with the credential resolved from AWS Secrets Manager (moto with SigV4
/// enforced) by the real <c>AwsSecretsManager</c> plugin loaded from the broker's plugins folder.
/// </summary>
public sealed class AwsStoreEndToEndTests : IAsyncLifetime
{
    private const string Key = "STRIPE_KEY";
    private readonly FakeAzureCertificates _certificates = FakeAzureCertificates.Create(StoreProxyHarness.UpstreamHost);
    private MotoServer _moto = null!;
    private string _secret = null!;

    public async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        _secret = "prod/stripe-" + Guid.NewGuid().ToString("N")[..8];
        await _moto.CreateSecretAsync(_secret, """{"api_key":"sk_live_first"}""");
    }

    public async Task DisposeAsync()
    {
        await _moto.DisposeAsync();
        _certificates.Dispose();
    }

    [Fact]
    public async Task ValueInStore_ReachesUpstreamAndChangesAfterTtl()
    {
        await using var e2e = await StartAsync(_moto.SecretAccessKey, ttl: "1s", maxStale: "5m");

        var first = await e2e.GetAsync(Key);
        Assert.Equal(200, first.Status);
        Assert.Equal("Bearer sk_live_first", e2e.Upstream.Authorizations.Last());

        await _moto.PutSecretValueAsync(_secret, """{"api_key":"sk_live_second"}""");
        await e2e.PollAsync(Key, r => r.Status == 200 && e2e.Upstream.Authorizations.Last() == "Bearer sk_live_second", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task StoreStopped_CachedValueServedUntilMaxStaleThen502()
    {
        await using var e2e = await StartAsync(_moto.SecretAccessKey, ttl: "1s", maxStale: "8s");
        Assert.Equal(200, (await e2e.GetAsync(Key)).Status);

        await _moto.StopAsync();

        // After the TTL the store is asked again, fails, and the cached value is still injected (the broker says so).
        await e2e.PollAsync(
            Key,
            r =>
            {
                Assert.True(r.Status == 200 || r.Body.Contains("credential_unavailable", StringComparison.Ordinal), r.ToString());
                return r.Status == 200 && e2e.Broker.Stderr.Contains("serving the cached value within max_stale", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30));
        Assert.All(e2e.Upstream.Authorizations, a => Assert.Equal("Bearer sk_live_first", a));

        var failed = await e2e.PollAsync(Key, r => r.Status == 502, TimeSpan.FromSeconds(60));
        Assert.Contains("credential_unavailable", failed.Body, StringComparison.Ordinal);
        Assert.Contains("aws", failed.Body, StringComparison.Ordinal);
        Assert.Contains(Key, failed.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_live_first", failed.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentFirstRequests_ReadTheStoreOnce()
    {
        await using var e2e = await StartAsync(_moto.SecretAccessKey, ttl: "5m", maxStale: "5m");
        await _moto.SyncLogAsync();
        var before = _moto.PostRequests;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => e2e.GetAsync(Key)));
        await _moto.SyncLogAsync();

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.Equal(8, e2e.Upstream.Authorizations.Count(a => a == "Bearer sk_live_first"));
        Assert.Equal(1, _moto.PostRequests - before);
    }

    [Fact]
    public async Task RightKey_StoreTestAndCredentialCheckSucceedWithoutPrintingValues()
    {
        await using var e2e = await StartAsync(_moto.SecretAccessKey, ttl: "1m", maxStale: "1m");

        var test = await e2e.Broker.Cli.RunAsync("store", "test", "aws");
        var check = await e2e.Broker.Cli.RunAsync("vault", "credential", "check", "--vault", StoreProxyHarness.Vault, "--json");

        Assert.True(test.ExitCode == 0, test.ToString());
        Assert.Contains("ok", test.Stdout, StringComparison.Ordinal);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains(Key, check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("sk_live", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_StoreTestAndCredentialCheckFailWithoutLeakingIt()
    {
        const string wrong = "wrong-secret-access-key-for-e2e";
        await using var e2e = await StartAsync(wrong, ttl: "1m", maxStale: "1m");

        var test = await e2e.Broker.Cli.RunAsync("store", "test", "aws");
        var check = await e2e.Broker.Cli.RunAsync("vault", "credential", "check", "--vault", StoreProxyHarness.Vault);

        Assert.True(test.ExitCode == 1, test.ToString());
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains(Key, check.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, test.Output + check.Output + e2e.Broker.Stderr + e2e.Broker.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongKey_RequestGets502CredentialUnavailable()
    {
        await using var e2e = await StartAsync("wrong-secret-access-key-for-e2e", ttl: "1m", maxStale: "1m");

        var response = await e2e.GetAsync(Key);

        Assert.Equal(502, response.Status);
        Assert.Contains("credential_unavailable", response.Body, StringComparison.Ordinal);
        Assert.Contains(Key, response.Body, StringComparison.Ordinal);
        Assert.Empty(e2e.Upstream.Authorizations);
    }

    private async Task<StoreProxyHarness> StartAsync(string secretKey, string ttl, string maxStale)
    {
        var e2e = await StoreProxyHarness.StartAsync(_certificates, new Dictionary<string, string?>
        {
            ["E2E_AWS_KEY_ID"] = _moto.AccessKeyId,
            ["E2E_AWS_SECRET"] = secretKey,
        });
        var stores = $"""
            stores:
              - name: aws
                type: aws-secrets-manager
                settings:
                  region: {_moto.Region}
                  endpoint: "{_moto.Endpoint}"
                  access_key_id: "env:E2E_AWS_KEY_ID"
                  secret_access_key: "env:E2E_AWS_SECRET"
                cache: {"{"} ttl: {ttl}, max_stale: {maxStale} {"}"}

            """;
        await e2e.ConfigureAsync(stores, new Dictionary<string, string> { [Key] = $"aws:{_secret}#api_key" });
        return e2e;
    }
}
