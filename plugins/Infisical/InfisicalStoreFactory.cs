using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.Infisical;

/// <summary>The <c>infisical</c> store type.</summary>
internal sealed class InfisicalStoreFactory : ISecretStoreFactory
{
    public string Type => "infisical";

    public IReadOnlyCollection<string> SecretSettings { get; } = ["client_id", "client_secret"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(validation);
        InfisicalSettings.Parse(settings, validation);
    }

    public ISecretStore Create(SecretStoreContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validation = new SettingsValidation();
        var settings = InfisicalSettings.Parse(context.Settings, validation);
        if (settings is null)
        {
            var problems = string.Join("; ", validation.Problems.Select(p => $"{p.Path}: {p.Message}"));
            throw new SecretStoreException(SecretErrorCategory.InvalidConfiguration, $"Infisical store '{context.StoreName}' has invalid settings: {problems}");
        }

        return new InfisicalSecretStore(context, settings);
    }
}
