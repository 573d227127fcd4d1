using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.AzureKeyVault;

namespace AgentVault.Plugins.Tests.AzureKeyVault;

public sealed class AzureKeyVaultFactoryTests
{
    [Fact]
    public void Plugin_RegistersTypeWithClientSecretAsSecretSetting()
    {
        var registrar = new Registrar();

        new AzureKeyVaultPlugin().Register(registrar);

        var factory = Assert.Single(registrar.Stores);
        Assert.Equal("azure-key-vault", factory.Type);
        Assert.Equal(["auth.client_secret"], factory.SecretSettings);
    }

    [Theory]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"client-secret","tenant_id":"t","client_id":"c","client_secret":"env:S"}}""", "")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"managed-identity"}}""", "")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"managed-identity","client_id":"c"}}""", "")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"workload-identity"},"authority_host":"https://login.microsoftonline.us"}""", "")]
    [InlineData("""{"vault_url":"https://127.0.0.1:8443","auth":{"method":"managed-identity"},"disable_challenge_resource_verification":true}""", "")]
    [InlineData("""{"auth":{"method":"managed-identity"}}""", "vault_url")]
    [InlineData("""{"vault_url":"http://v.vault.azure.net","auth":{"method":"managed-identity"}}""", "vault_url")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net"}""", "auth")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"password"}}""", "auth.method")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"client-secret","client_id":"c","client_secret":"env:S"}}""", "auth.tenant_id")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"client-secret","tenant_id":"t","client_id":"c"}}""", "auth.client_secret")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"managed-identity","client_secret":"env:S"}}""", "auth.client_secret")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"managed-identity","tenant":"t"}}""", "auth.tenant")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"managed-identity"},"authority_host":"login"}""", "authority_host")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"managed-identity"},"disable_instance_discovery":"maybe"}""", "disable_instance_discovery")]
    [InlineData("""{"vault_url":"https://v.vault.azure.net","auth":{"method":"managed-identity"},"vaulturl":"x"}""", "vaulturl")]
    public void Validate_ReportsProblemAtSetting(string json, string expectedPath)
    {
        var validation = new SettingsValidation();

        new AzureKeyVaultStoreFactory().Validate(new PluginSettings(JsonNode.Parse(json)!.AsObject()), validation);

        if (expectedPath.Length == 0)
        {
            Assert.True(validation.IsValid, string.Join("; ", validation.Problems));
        }
        else
        {
            Assert.Contains(validation.Problems, p => p.Path == expectedPath);
        }
    }

    private sealed class Registrar : IPluginRegistrar
    {
        public List<ISecretStoreFactory> Stores { get; } = [];

        public void AddSecretStoreType(ISecretStoreFactory factory) => Stores.Add(factory);

        public void AddAuthScheme(IAuthSchemeFactory factory) => throw new InvalidOperationException("no auth schemes expected");
    }
}
