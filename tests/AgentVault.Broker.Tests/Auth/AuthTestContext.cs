using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Broker.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Auth;

internal static class AuthTestContext
{
    public static IAuthSchemeFactory Factory(string name)
    {
        var services = new ServiceCollection().AddAgentVaultAuth().BuildServiceProvider();
        return services.GetServices<IAuthSchemeFactory>().Single(f => f.Name == name);
    }

    public static IAuthScheme Create(string name, string settingsJson)
    {
        var settings = new PluginSettings(JsonNode.Parse(settingsJson)!.AsObject());
        return Factory(name).Create(new AuthSchemeContext
        {
            VaultName = "dev",
            ServiceName = "svc",
            Settings = settings,
            HttpClient = new HttpClient(),
            LoggerFactory = NullLoggerFactory.Instance,
            TimeProvider = TimeProvider.System,
        });
    }

    public static IReadOnlyList<SettingsProblem> Validate(string name, string settingsJson)
    {
        var validation = new SettingsValidation();
        Factory(name).Validate(new PluginSettings(JsonNode.Parse(settingsJson)!.AsObject()), validation);
        return validation.Problems;
    }
}
