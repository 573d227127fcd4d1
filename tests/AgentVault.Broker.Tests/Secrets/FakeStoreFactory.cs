using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Tests.Secrets;

/// <summary>Store type <c>fake</c>: hands out the store instance the test prepared for each store name.</summary>
internal sealed class FakeStoreFactory : ISecretStoreFactory
{
    public Dictionary<string, FakeSecretStore> Stores { get; } = new(StringComparer.Ordinal);

    public List<SecretStoreContext> Contexts { get; } = [];

    public string Type => "fake";

    public IReadOnlyCollection<string> SecretSettings { get; } = ["token"];

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        if (settings.GetString("bad") is not null)
        {
            validation.Add("bad", "is not allowed");
        }
    }

    public ISecretStore Create(SecretStoreContext context)
    {
        if (context.Settings.GetString("explode") is not null)
        {
            throw new InvalidOperationException("boom while creating");
        }

        Contexts.Add(context);
        if (!Stores.TryGetValue(context.StoreName, out var store))
        {
            store = new FakeSecretStore();
            Stores[context.StoreName] = store;
        }

        return store;
    }
}
