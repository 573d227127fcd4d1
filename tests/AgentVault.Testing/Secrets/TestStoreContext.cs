using System.Text.Json.Nodes;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Testing.Secrets;

/// <summary>The <see cref="SecretStoreContext"/> the broker hands a store plugin, as the plugin tests' harnesses build it.</summary>
public static class TestStoreContext
{
    /// <summary>
    /// A context for store <paramref name="storeName"/> with <paramref name="settings"/>; no logging and the system clock unless
    /// given; the temp folder as data directory.
    /// </summary>
    public static SecretStoreContext Create(string storeName, JsonObject settings, IBootstrapSecretResolver bootstrap, HttpClient http,
        ILoggerFactory? loggerFactory = null, TimeProvider? time = null) => new()
    {
        StoreName = storeName,
        Settings = new PluginSettings(settings),
        Bootstrap = bootstrap,
        HttpClient = http,
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,
        TimeProvider = time ?? TimeProvider.System,
        DataDirectory = Path.GetTempPath(),
    };
}
