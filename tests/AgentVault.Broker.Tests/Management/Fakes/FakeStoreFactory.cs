using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>A store type declaring <c>auth.secret_id</c> and <c>api_key</c> as secret settings and requiring <c>address</c>.</summary>
internal sealed class FakeStoreFactory(string type) : ISecretStoreFactory
{
    public string Type => type;

    public IReadOnlyCollection<string> SecretSettings { get; } = ["auth.secret_id", "api_key"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        if (settings.GetString("address") is null)
        {
            validation.Add("address", "address is required");
        }
    }

    public ISecretStore Create(SecretStoreContext context) => throw new NotSupportedException("not used by management tests");
}

