using AgentVault.Testing.Fakes.Moto;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Stores;

/// <summary>The store scenarios against AWS Secrets Manager (moto with SigV4 enforced) and the real <c>AwsSecretsManager</c> plugin.</summary>
public sealed class AwsStoreEndToEndTests : StoreEndToEndTests
{
    private readonly TestCertificateAuthority _ca = new("AWS Store E2E CA");
    private MotoServer _moto = null!;
    private string _secret = null!;

    protected override string StoreName => "aws";

    protected override string Key => "STRIPE_KEY";

    protected override string FirstValue => "sk_live_first";

    protected override string SecondValue => "sk_live_second";

    protected override string RightStoreSecret => _moto.SecretAccessKey;

    protected override string WrongStoreSecret => "wrong-secret-access-key-for-e2e";

    public override async Task InitializeAsync()
    {
        _moto = await MotoServer.StartAsync();
        _secret = "prod/stripe-" + Guid.NewGuid().ToString("N")[..8];
        await _moto.CreateSecretAsync(_secret, $$"""{"api_key":"{{FirstValue}}"}""");
    }

    public override async Task DisposeAsync()
    {
        await _moto.DisposeAsync();
        _ca.Dispose();
    }

    private protected override async Task<StoreProxyHarness> StartAsync(string storeSecret, string ttl, string maxStale)
    {
        var e2e = await StoreProxyHarness.StartAsync(_ca, new Dictionary<string, string?>
        {
            ["E2E_AWS_KEY_ID"] = _moto.AccessKeyId,
            ["E2E_AWS_SECRET"] = storeSecret,
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

    protected override Task ChangeValueAsync(string value) => _moto.PutSecretValueAsync(_secret, $$"""{"api_key":"{{value}}"}""");

    protected override Task StopStoreAsync() => _moto.StopAsync();

    protected override async Task<int> CountReadsAsync()
    {
        await _moto.SyncLogAsync();
        return _moto.PostRequests;
    }
}
