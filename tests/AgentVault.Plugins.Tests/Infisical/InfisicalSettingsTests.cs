using System.Text.Json.Nodes;
using AgentVault.Abstractions.Plugins;
using AgentVault.Testing.Fakes;

namespace AgentVault.Plugins.Tests.Infisical;

public sealed class InfisicalSettingsTests
{
    [Fact]
    public void Plugin_RegistersInfisicalTypeWithSecretSettings()
    {
        var registrar = new CollectingRegistrar();
        new AgentVault.Plugins.Infisical.InfisicalPlugin().Register(registrar);

        var factory = Assert.Single(registrar.StoreTypes);
        Assert.Equal("infisical", factory.Type);
        Assert.Equal(["client_id", "client_secret"], factory.SecretSettings.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{ "client_id": "env:I", "client_secret": "env:S", "project_id": "p", "environment": "prod" }""")]
    [InlineData("""{ "site_url": "https://infisical.internal", "client_id": "env:I", "client_secret": "file:/run/s", "project_id": "p", "project_slug": "agents", "environment": "dev" }""")]
    [InlineData("""{ "site_url": "http://127.0.0.1:8080/", "client_id": "local:inf#id", "client_secret": "local:inf#secret", "project_id": "p", "environment": "dev" }""")]
    public void ValidSettings_ReportNoProblem(string json) => Assert.Empty(Validate(json).Problems);

    [Theory]
    [InlineData("""{ "client_secret": "env:S", "project_id": "p", "environment": "prod" }""", "client_id")]
    [InlineData("""{ "client_id": "env:I", "project_id": "p", "environment": "prod" }""", "client_secret")]
    [InlineData("""{ "client_id": "env:I", "client_secret": "env:S", "environment": "prod" }""", "project_id")]
    [InlineData("""{ "client_id": "env:I", "client_secret": "env:S", "project_id": "p" }""", "environment")]
    [InlineData("""{ "site_url": "infisical.internal", "client_id": "env:I", "client_secret": "env:S", "project_id": "p", "environment": "prod" }""", "site_url")]
    [InlineData("""{ "site_url": "https://u:p@infisical", "client_id": "env:I", "client_secret": "env:S", "project_id": "p", "environment": "prod" }""", "site_url")]
    [InlineData("""{ "client_id": "env:I", "client_secret": "env:S", "project_id": "p", "environment": "prod", "env": "x" }""", "env")]
    public void InvalidSettings_ReportTheSetting(string json, string path) => Assert.Contains(Validate(json).Problems, p => p.Path == path);

    [Fact]
    public void AllProblems_AreReportedAtOnce()
    {
        var validation = Validate("""{ "site_url": "nope" }""");

        Assert.Equal(["client_id", "client_secret", "environment", "project_id", "site_url"], validation.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    private static SettingsValidation Validate(string json)
    {
        var validation = new SettingsValidation();
        InfisicalHarness.Factory.Validate(new PluginSettings((JsonObject)JsonNode.Parse(json)!), validation);
        return validation;
    }
}
