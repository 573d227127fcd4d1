using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Auth;
using AgentVault.Broker.Secrets;
using AgentVault.Testing.Broker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Catalog;

/// <summary>
/// The auth schemes a real broker has: the built-in ones and those of the repository's plugins, loaded from the built
/// broker's <c>plugins/</c> folder exactly as the server loads them (so a template naming a scheme or setting no plugin
/// knows fails here).
/// </summary>
public sealed class RealSchemes : IDisposable
{
    private readonly ServiceProvider _services;

    public RealSchemes()
    {
        _services = new ServiceCollection().AddLogging().AddAgentVaultAuth().BuildServiceProvider();
        Catalog = new PluginCatalog(TestPaths.BrokerPluginsDirectory, _services.GetServices<IAuthSchemeFactory>(), NullLoggerFactory.Instance);
    }

    internal PluginCatalog Catalog { get; }

    public void Dispose()
    {
        Catalog.Dispose();
        _services.Dispose();
    }
}
