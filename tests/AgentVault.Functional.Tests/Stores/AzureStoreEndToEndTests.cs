using AgentVault.Testing.Fakes.Azure;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Stores;

/// <summary>
/// The store scenarios against the fake Azure Key Vault (HTTPS, Entra ID token endpoint) and the real <c>AzureKeyVault</c>
/// plugin with the Azure SDK.
/// </summary>
public sealed class AzureStoreEndToEndTests : StoreEndToEndTests
{
    private const string Secret = "sendgrid-api-key";
    private FakeAzureKeyVault _vault = null!;

    protected override string StoreName => "azure";

    protected override string Key => "SENDGRID_KEY";

    protected override string FirstValue => "SG.first";

    protected override string SecondValue => "SG.second";

    protected override string RightStoreSecret => _vault.ClientSecret;

    protected override string WrongStoreSecret => "wrong-client-secret-for-e2e";

    public override async Task InitializeAsync()
    {
        // One CA for the fake vault and the upstream: the broker gets it as its single --upstream-ca.
        _vault = await FakeAzureKeyVault.StartAsync(new TestCertificateAuthority("Azure Store E2E CA"));
        _vault.SetSecret(Secret, FirstValue);
    }

    public override async Task DisposeAsync() => await _vault.DisposeAsync();

    private protected override async Task<StoreProxyHarness> StartAsync(string storeSecret, string ttl, string maxStale)
    {
        var e2e = await StoreProxyHarness.StartAsync(_vault.Ca, new Dictionary<string, string?> { ["E2E_AZURE_CLIENT_SECRET"] = storeSecret });
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

    protected override Task ChangeValueAsync(string value)
    {
        _vault.SetSecret(Secret, value);
        return Task.CompletedTask;
    }

    protected override Task StopStoreAsync() => _vault.StopAsync();

    protected override Task<int> CountReadsAsync() => Task.FromResult(_vault.Reads(Secret));
}
