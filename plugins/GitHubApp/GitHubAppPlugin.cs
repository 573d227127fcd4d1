using AgentVault.Abstractions.Plugins;

namespace AgentVault.Plugins.GitHubApp;

/// <summary>Registers the <c>github-app</c> auth scheme (installation access tokens minted from a GitHub App's private key).</summary>
public sealed class GitHubAppPlugin : IAgentVaultPlugin
{
    /// <inheritdoc />
    public void Register(IPluginRegistrar registrar)
    {
        ArgumentNullException.ThrowIfNull(registrar);
        registrar.AddAuthScheme(new GitHubAppSchemeFactory());
    }
}
