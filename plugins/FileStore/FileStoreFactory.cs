using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.FileStore;

/// <summary>The <c>file</c> store type: secrets in one file encrypted with the broker's master key (setting <c>path</c>, default <c>&lt;data-dir&gt;/secrets.enc</c>).</summary>
internal sealed class FileStoreFactory : ISecretStoreFactory
{
    public const string DefaultFileName = "secrets.enc";

    public string Type => "file";

    public IReadOnlyCollection<string> SecretSettings { get; } = [];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        foreach (var (name, _) in settings.Root)
        {
            if (name != "path")
            {
                validation.Add(name, "unknown setting of the file store (it only has 'path')");
            }
        }

        var path = settings.Find("path");
        if (path is not null && (path.GetValueKind() != System.Text.Json.JsonValueKind.String || string.IsNullOrWhiteSpace(settings.GetString("path"))))
        {
            validation.Add("path", "must be a non-empty file path");
        }
    }

    public ISecretStore Create(SecretStoreContext context)
    {
        if (context.Protector is null)
        {
            throw new SecretStoreException(
                SecretErrorCategory.InvalidConfiguration,
                "the file store needs the broker's master key: set AGENT_VAULT_MASTER_PASSWORD, use --password-stdin, or run with --dev");
        }

        var configured = context.Settings.GetString("path");
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(context.DataDirectory, DefaultFileName)
            : Path.GetFullPath(configured, context.DataDirectory);
        return new FileSecretStore(context.StoreName, Path.GetFullPath(path), context.Protector);
    }
}
