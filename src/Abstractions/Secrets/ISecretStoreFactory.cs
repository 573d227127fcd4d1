using AgentVault.Abstractions.Plugins;

namespace AgentVault.Abstractions.Secrets;

/// <summary>Describes a secret-store type and creates configured instances of it.</summary>
public interface ISecretStoreFactory
{
    /// <summary>The type name used in configuration (e.g. <c>hashicorp-vault</c>); lower-case kebab.</summary>
    string Type { get; }

    /// <summary>Dotted paths of the settings that hold secrets; they may only be references (<c>env:</c>, <c>file:</c>, <c>store:path</c>).</summary>
    IReadOnlyCollection<string> SecretSettings { get; }

    /// <summary>Checks the settings of a store of this type and reports every problem; must not contact the store.</summary>
    void Validate(PluginSettings settings, SettingsValidation validation);

    /// <summary>Creates a store instance; called when the configuration changes, never per request.</summary>
    ISecretStore Create(SecretStoreContext context);
}
