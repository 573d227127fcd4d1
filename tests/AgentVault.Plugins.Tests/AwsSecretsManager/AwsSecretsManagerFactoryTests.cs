using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.AwsSecretsManager;

namespace AgentVault.Plugins.Tests.AwsSecretsManager;

public sealed class AwsSecretsManagerFactoryTests
{
    [Fact]
    public void Plugin_RegistersTypeWithSecretSettings()
    {
        var registrar = new CollectingRegistrar();

        new AwsSecretsManagerPlugin().Register(registrar);

        var factory = Assert.Single(registrar.Stores);
        Assert.Equal("aws-secrets-manager", factory.Type);
        Assert.Equal(["access_key_id", "secret_access_key", "session_token"], factory.SecretSettings.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{}""", "")]
    [InlineData("""{"region":"eu-west-1","endpoint":"http://127.0.0.1:4566"}""", "")]
    [InlineData("""{"region":"us-east-1","access_key_id":"env:A","secret_access_key":"env:B","session_token":"env:C"}""", "")]
    [InlineData("""{"region":"US East"}""", "region")]
    [InlineData("""{"endpoint":"ftp://example.com"}""", "endpoint")]
    [InlineData("""{"sts_endpoint":"not a url"}""", "sts_endpoint")]
    [InlineData("""{"access_key_id":"env:A"}""", "secret_access_key")]
    [InlineData("""{"secret_access_key":"env:B"}""", "access_key_id")]
    [InlineData("""{"session_token":"env:C"}""", "session_token")]
    [InlineData("""{"regoin":"us-east-1"}""", "regoin")]
    public void Validate_ReportsProblemAtSetting(string json, string expectedPath)
    {
        var validation = new SettingsValidation();

        new AwsSecretsManagerStoreFactory(_ => null).Validate(new PluginSettings(JsonNode.Parse(json)!.AsObject()), validation);

        if (expectedPath.Length == 0)
        {
            Assert.True(validation.IsValid, string.Join("; ", validation.Problems));
        }
        else
        {
            Assert.Contains(validation.Problems, p => p.Path == expectedPath);
        }
    }

    private sealed class CollectingRegistrar : IPluginRegistrar
    {
        public List<ISecretStoreFactory> Stores { get; } = [];

        public void AddSecretStoreType(ISecretStoreFactory factory) => Stores.Add(factory);

        public void AddAuthScheme(IAuthSchemeFactory factory) => throw new InvalidOperationException("no auth schemes expected");
    }
}
