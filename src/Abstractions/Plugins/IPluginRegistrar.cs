using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Abstractions.Plugins;

/// <summary>Collects what a plugin provides; names must be unique across all loaded plugins.</summary>
public interface IPluginRegistrar
{
    /// <summary>Registers a secret-store type (for example <c>hashicorp-vault</c>).</summary>
    void AddSecretStoreType(ISecretStoreFactory factory);

    /// <summary>Registers an auth scheme (for example <c>oauth2-client-credentials</c>).</summary>
    void AddAuthScheme(IAuthSchemeFactory factory);
}
