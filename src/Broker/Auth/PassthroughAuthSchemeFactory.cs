using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Auth;

/// <summary><c>passthrough</c>: injects nothing; the host is merely allowlisted (substitutions may still apply).</summary>
internal sealed class PassthroughAuthSchemeFactory : IAuthSchemeFactory, IAuthSchemeKeys
{
    public string Name => "passthrough";

    public IReadOnlyCollection<string> CredentialSettings { get; } = [];

    public void Validate(PluginSettings settings, SettingsValidation validation) => KnownSettings.Check(settings, validation);

    public IReadOnlyList<string> GetCredentialKeys(PluginSettings settings) => [];

    public IAuthScheme Create(AuthSchemeContext context) => PassthroughAuthScheme.Instance;
}
