using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Management;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Tests.Auth;

public sealed class CustomSchemeServiceValidationTests
{
    private static List<ValidationError> Validate(string authJson)
    {
        var vault = new VaultDefinition
        {
            Name = "dev",
            Credentials = new() { ["API_KEY"] = new CredentialDefinition { Ref = "local:api" } },
        };
        var service = new ServiceDefinition { Name = "svc", Host = "api.example.com", Auth = JsonNode.Parse(authJson)!.AsObject() };
        var schemes = new Dictionary<string, IAuthSchemeFactory> { ["custom"] = AuthTestContext.Factory("custom") };
        var errors = new List<ValidationError>();
        ServiceValidator.Validate(service, "services[0]", vault, schemes, errors);
        return errors;
    }

    [Fact]
    public void TemplateWithDefinedKeys_IsValid() =>
        Assert.Empty(Validate("""{"type":"custom","headers":{"X-Key":"k={{ API_KEY }}"}}"""));

    [Fact]
    public void TemplateWithUndefinedKey_IsReported()
    {
        var errors = Validate("""{"type":"custom","headers":{"X-Key":"{{ API_KEY }}","X-Other":"{{ MISSING_KEY }}"}}""");

        var error = Assert.Single(errors);
        Assert.Equal("services[0].auth.headers", error.Path);
        Assert.Contains("MISSING_KEY", error.Message, StringComparison.Ordinal);
    }
}
