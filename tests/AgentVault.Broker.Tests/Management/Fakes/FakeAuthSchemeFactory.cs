using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>
/// An auth scheme whose named settings must be present and name credential keys. Writes build the runtime snapshot before they
/// are saved, so <see cref="Create"/> returns an inert scheme; with <see cref="ThrowsOnCreate"/> it fails as a buggy plugin would.
/// </summary>
internal sealed class FakeAuthSchemeFactory(string name, params string[] credentialSettings) : IAuthSchemeFactory
{
    public string Name => name;

    public IReadOnlyCollection<string> CredentialSettings => credentialSettings;

    public void Validate(PluginSettings settings, SettingsValidation validation)
    {
        foreach (var setting in credentialSettings)
        {
            if (settings.Find(setting) is null)
            {
                validation.Add(setting, $"'{setting}' is required");
            }
        }
    }

    /// <summary>Create throws an exception no validation foresees (the snapshot build then fails).</summary>
    public bool ThrowsOnCreate { get; init; }

    public IAuthScheme Create(AuthSchemeContext context) =>
        ThrowsOnCreate ? throw new NotSupportedException("test plugin failure") : new Inert();

    private sealed class Inert : IAuthScheme
    {
        public IReadOnlyCollection<string> HeadersToStrip => [];

        public ValueTask ApplyAsync(AuthRequest request, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
