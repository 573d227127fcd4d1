using System.Text.Json.Nodes;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Testing.Fakes;

namespace AgentVault.Plugins.Tests.HashiCorpVault;

public sealed class VaultSettingsTests
{
    [Fact]
    public void Plugin_RegistersHashiCorpVaultTypeWithSecretSettings()
    {
        var registrar = new CollectingRegistrar();
        new AgentVault.Plugins.HashiCorpVault.HashiCorpVaultPlugin().Register(registrar);

        var factory = Assert.Single(registrar.StoreTypes);
        Assert.Equal("hashicorp-vault", factory.Type);
        Assert.Equal(["auth.role_id", "auth.secret_id", "auth.token"], factory.SecretSettings.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{ "address": "https://vault.internal:8200", "auth": { "method": "token", "token": "env:T" } }""")]
    [InlineData("""{ "address": "http://127.0.0.1:8200/", "namespace": "team-a", "auth": { "method": "approle", "role_id": "env:R", "secret_id": "file:/run/s" } }""")]
    [InlineData("""{ "address": "https://vault:8200", "auth": { "method": "approle", "role_id": "env:R", "secret_id": "env:S", "mount": "ci/approle" } }""")]
    [InlineData("""{ "address": "https://vault:8200", "auth": { "method": "kubernetes", "role": "agent-vault" } }""")]
    [InlineData("""{ "address": "https://vault:8200", "auth": { "method": "kubernetes", "role": "r", "jwt_path": "/var/run/token", "mount": "k8s-prod" } }""")]
    public void ValidSettings_ReportNoProblem(string json)
    {
        var validation = Validate(json);

        Assert.Empty(validation.Problems);
    }

    [Theory]
    [InlineData("""{ "auth": { "method": "token", "token": "env:T" } }""", "address")]
    [InlineData("""{ "address": "vault:8200", "auth": { "method": "token", "token": "env:T" } }""", "address")]
    [InlineData("""{ "address": "ftp://vault", "auth": { "method": "token", "token": "env:T" } }""", "address")]
    [InlineData("""{ "address": "https://u:p@vault", "auth": { "method": "token", "token": "env:T" } }""", "address")]
    [InlineData("""{ "address": "https://vault" }""", "auth")]
    [InlineData("""{ "address": "https://vault", "auth": { "token": "env:T" } }""", "auth.method")]
    [InlineData("""{ "address": "https://vault", "auth": { "method": "userpass" } }""", "auth.method")]
    [InlineData("""{ "address": "https://vault", "auth": { "method": "token" } }""", "auth.token")]
    [InlineData("""{ "address": "https://vault", "auth": { "method": "approle", "secret_id": "env:S" } }""", "auth.role_id")]
    [InlineData("""{ "address": "https://vault", "auth": { "method": "approle", "role_id": "env:R" } }""", "auth.secret_id")]
    [InlineData("""{ "address": "https://vault", "auth": { "method": "approle", "role_id": "env:R", "secret_id": "env:S", "mount": "a//b" } }""", "auth.mount")]
    [InlineData("""{ "address": "https://vault", "auth": { "method": "kubernetes" } }""", "auth.role")]
    [InlineData("""{ "address": "https://vault", "auth": { "method": "kubernetes", "role": "r", "jwt_path": "relative/token" } }""", "auth.jwt_path")]
    [InlineData("""{ "adress": "https://vault", "address": "https://vault", "auth": { "method": "token", "token": "env:T" } }""", "adress")]
    [InlineData("""{ "address": "https://vault", "auth": { "method": "token", "token": "env:T", "tokn": "x" } }""", "auth.tokn")]
    public void InvalidSettings_ReportTheSetting(string json, string path)
    {
        var validation = Validate(json);

        Assert.Contains(validation.Problems, p => p.Path == path);
    }

    [Fact]
    public void AllProblems_AreReportedAtOnce()
    {
        var validation = Validate("""{ "address": "nope", "auth": { "method": "approle" } }""");

        Assert.Equal(["address", "auth.role_id", "auth.secret_id"], validation.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Create_WithInvalidSettings_ThrowsInvalidConfiguration()
    {
        var context = new SecretStoreContext
        {
            StoreName = "hcv",
            Settings = new PluginSettings((JsonObject)JsonNode.Parse("""{ "address": "nope" }""")!),
            Bootstrap = new MapBootstrapResolver(),
            HttpClient = new HttpClient(),
            LoggerFactory = new CapturingLoggerFactory(),
            TimeProvider = TimeProvider.System,
            DataDirectory = Path.GetTempPath(),
        };

        var ex = Assert.Throws<SecretStoreException>(() => VaultHarness.Factory.Create(context));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, ex.Category);
        Assert.Contains("address", ex.Message, StringComparison.Ordinal);
    }

    private static SettingsValidation Validate(string json)
    {
        var validation = new SettingsValidation();
        VaultHarness.Factory.Validate(new PluginSettings((JsonObject)JsonNode.Parse(json)!), validation);
        return validation;
    }
}
