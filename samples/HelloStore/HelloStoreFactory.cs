using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace HelloStore;

/// <summary>The store type <c>hello</c>, with one optional setting <c>greeting</c> (default "hello").</summary>
internal sealed class HelloStoreFactory : ISecretStoreFactory
{
    public string Type => "hello";

    // Settings listed here may only hold references (env:NAME, file:/path, store:path#field), never raw secrets.
    public IReadOnlyCollection<string> SecretSettings { get; } = [];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        // Refuse what the store does not know: a typo (`greting`) would otherwise be silently ignored.
        foreach (var name in settings.Root.Select(p => p.Key).Where(n => n != "greeting"))
        {
            validation.Add(name, "unknown setting; the hello store takes only 'greeting'");
        }

        if (settings.Find("greeting") is { } node && node.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            validation.Add("greeting", "must be a string");
            return;
        }

        var greeting = settings.GetString("greeting");
        if (greeting is not null && greeting.Length > 40)
        {
            validation.Add("greeting", "must be at most 40 characters");
        }
    }

    public ISecretStore Create(SecretStoreContext context) =>
        new HelloSecretStore(context.Settings.GetString("greeting") ?? "hello");
}
