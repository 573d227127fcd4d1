namespace AgentVault.Abstractions.Plugins;

/// <summary>Entry point of a plugin: the host creates it with a public parameterless constructor and calls <see cref="Register"/> once.</summary>
public interface IAgentVaultPlugin
{
    /// <summary>Registers the secret-store types and auth schemes this plugin provides.</summary>
    void Register(IPluginRegistrar registrar);
}
