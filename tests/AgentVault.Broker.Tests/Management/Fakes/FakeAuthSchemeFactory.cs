using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>An auth scheme whose named settings must be present and name credential keys.</summary>
internal sealed class FakeAuthSchemeFactory(string name, params string[] credentialSettings) : IAuthSchemeFactory
{
    public string Name => name;

    public IReadOnlyCollection<string> CredentialSettings => credentialSettings;

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        foreach (var setting in credentialSettings)
        {
            if (settings.Find(setting) is null)
            {
                validation.Add(setting, $"'{setting}' is required");
            }
        }
    }

    public IAuthScheme Create(AuthSchemeContext context) => throw new NotSupportedException("not used by management tests");
}
