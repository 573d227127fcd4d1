using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>The <c>hashicorp-vault</c> store type.</summary>
internal sealed class VaultStoreFactory : ISecretStoreFactory
{
    public string Type => "hashicorp-vault";

    public IReadOnlyCollection<string> SecretSettings { get; } = ["auth.token", "auth.role_id", "auth.secret_id"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(validation);
        VaultSettings.Parse(settings, validation);
    }

    public ISecretStore Create(SecretStoreContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validation = new SettingsValidation();
        var settings = VaultSettings.Parse(context.Settings, validation);
        if (settings is null)
        {
            var problems = string.Join("; ", validation.Problems.Select(p => $"{p.Path}: {p.Message}"));
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"Vault store '{context.StoreName}' has invalid settings: {problems}");
        }

        return new VaultSecretStore(context, settings);
    }
}
