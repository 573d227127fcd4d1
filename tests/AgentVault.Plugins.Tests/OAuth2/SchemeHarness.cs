using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Testing.Fakes;

namespace AgentVault.Plugins.Tests.OAuth2;

/// <summary>Creates a scheme through a plugin's entry point, as the broker does, and applies it to requests.</summary>
internal static class SchemeHarness
{
    public static IAuthSchemeFactory Factory(IAgentVaultPlugin plugin, string name)
    {
        var registrar = new CollectingRegistrar();
        plugin.Register(registrar);
        return registrar.AuthSchemes.Single(f => f.Name == name);
    }

    public static IReadOnlyList<SettingsProblem> Validate(IAuthSchemeFactory factory, JsonObject settings)
    {
        var validation = new SettingsValidation();
        factory.Validate(new PluginSettings(settings), validation);
        return validation.Problems;
    }

    public static IAuthScheme Create(IAuthSchemeFactory factory, JsonObject settings, HttpClient client, CapturingLoggerFactory logs, TimeProvider? time = null)
    {
        var problems = Validate(factory, settings);
        Assert.Empty(problems);
        return factory.Create(new AuthSchemeContext
        {
            VaultName = "default",
            ServiceName = "api",
            Settings = new PluginSettings(settings),
            HttpClient = client,
            LoggerFactory = logs,
            TimeProvider = time ?? TimeProvider.System,
        });
    }

    /// <summary>Applies the scheme to a GET of <paramref name="url"/> and returns the request and what it injected.</summary>
    public static async Task<(HttpRequestMessage Request, AuthRequest Auth)> ApplyAsync(IAuthScheme scheme, ICredentialAccessor credentials, string url = "https://api.example.test/v1/items")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        var auth = new AuthRequest(request, credentials);
        await scheme.ApplyAsync(auth, CancellationToken.None);
        return (request, auth);
    }
}
