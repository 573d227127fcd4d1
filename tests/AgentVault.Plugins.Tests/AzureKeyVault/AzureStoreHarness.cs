using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.AzureKeyVault;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Secrets;
using AgentVault.Testing.Fakes.Azure;

namespace AgentVault.Plugins.Tests.AzureKeyVault;

/// <summary>Builds an <c>azure-key-vault</c> store the way the broker does, with an HttpClient that trusts the fake's CA.</summary>
internal sealed class AzureStoreHarness : IAsyncDisposable
{
    private readonly HttpClient _http;

    public AzureStoreHarness(FakeAzureKeyVault fake, JsonObject settings, MapBootstrapResolver? bootstrap = null)
    {
        _http = new HttpClient(fake.Ca.CreateTrustingHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        Bootstrap = bootstrap ?? new MapBootstrapResolver();
        Store = new AzureKeyVaultStoreFactory().Create(TestStoreContext.Create("azure", settings, Bootstrap, _http));
    }

    public MapBootstrapResolver Bootstrap { get; }

    public ISecretStore Store { get; }

    /// <summary>Client-secret settings pointed at the fake; the secret reference resolves to <paramref name="clientSecret"/> (default: the right one).</summary>
    public static AzureStoreHarness WithClientSecret(FakeAzureKeyVault fake, string? clientSecret = null)
    {
        var bootstrap = new MapBootstrapResolver { ["env:AZURE_TEST_CLIENT_SECRET"] = clientSecret ?? fake.ClientSecret };
        return new AzureStoreHarness(fake, Settings(fake, new JsonObject
        {
            ["method"] = "client-secret",
            ["tenant_id"] = fake.TenantId,
            ["client_id"] = fake.ClientId,
            ["client_secret"] = "env:AZURE_TEST_CLIENT_SECRET",
        }), bootstrap);
    }

    public static JsonObject Settings(FakeAzureKeyVault fake, JsonObject auth) => new()
    {
        ["vault_url"] = fake.Url.ToString(),
        ["authority_host"] = fake.Url.ToString(),
        ["disable_challenge_resource_verification"] = true,
        ["disable_instance_discovery"] = true,
        ["auth"] = auth,
    };

    public Task<SecretValue> GetAsync(string path) => Store.GetSecretAsync(new SecretRequest(path), CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _http.Dispose();
    }
}
