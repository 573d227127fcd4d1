using System.Collections.Frozen;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Server;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// The plugin host's result: the built-in auth schemes (pseudo-plugin <c>builtin</c>) plus every plugin folder loaded at
/// start-up. A plugin whose names clash with an earlier one fails as a whole, so no type ever has two providers.
/// </summary>
internal sealed class PluginCatalog : IPluginCatalog, IDisposable
{
    public const string BuiltinName = "builtin";

    private readonly List<PluginLoader> _loaders = [];

    public PluginCatalog(ServerOptions options, IEnumerable<IAuthSchemeFactory> builtinSchemes, ILoggerFactory loggerFactory)
        : this(options.PluginsDir, builtinSchemes, loggerFactory, options.PluginsLock, warnUnpinned: !options.Dev)
    {
    }

    /// <param name="pluginsDirectory">Folder of plugin folders.</param>
    /// <param name="builtinSchemes">The built-in auth schemes (pseudo-plugin <c>builtin</c>).</param>
    /// <param name="loggerFactory">For the plugin host's log.</param>
    /// <param name="lockFile">The <c>plugins.lock</c> to verify every plugin folder against; null loads them unpinned.</param>
    /// <param name="warnUnpinned">Log a warning when plugins load without a lock.</param>
    internal PluginCatalog(string pluginsDirectory, IEnumerable<IAuthSchemeFactory> builtinSchemes, ILoggerFactory loggerFactory, string? lockFile = null, bool warnUnpinned = false)
    {
        var logger = loggerFactory.CreateLogger("AgentVault.Broker.Secrets.PluginHost");
        var results = new List<PluginLoadResult>
        {
            new(BuiltinName, typeof(PluginCatalog).Assembly.GetName().Version?.ToString(3), null, [], builtinSchemes.ToList()),
        };
        var pins = lockFile is null ? null : PluginLock.Load(lockFile);
        var folders = new PluginDirectoryLoader(logger).LoadAll(pluginsDirectory, _loaders, pins);
        if (pins is null && warnUnpinned && folders.Count > 0)
        {
            SecretsLog.PluginsUnpinned(logger, PluginLock.DefaultPath(pluginsDirectory));
        }

        results.AddRange(folders);

        var storeTypes = new Dictionary<string, (ISecretStoreFactory Factory, string Plugin)>(StringComparer.Ordinal);
        var schemes = new Dictionary<string, (IAuthSchemeFactory Factory, string Plugin)>(StringComparer.Ordinal);
        var infos = new List<PluginInfo>();
        foreach (var result in results)
        {
            var error = result.Error ?? FindConflict(result, storeTypes, schemes);
            if (error is not null)
            {
                SecretsLog.PluginFailed(logger, result.Name, error);
                infos.Add(new PluginInfo(result.Name, result.Version, "failed", error, [], []));
                continue;
            }

            foreach (var f in result.StoreTypes)
            {
                storeTypes[f.Type] = (f, result.Name);
            }

            foreach (var f in result.AuthSchemes)
            {
                schemes[f.Name] = (f, result.Name);
            }

            var typeNames = result.StoreTypes.Select(f => f.Type).ToList();
            var schemeNames = result.AuthSchemes.Select(f => f.Name).ToList();
            if (result.Name != BuiltinName)
            {
                var typeList = typeNames.Count == 0 ? "-" : string.Join(", ", typeNames);
                var schemeList = schemeNames.Count == 0 ? "-" : string.Join(", ", schemeNames);
                SecretsLog.PluginLoaded(logger, result.Name, result.Version ?? "-", typeList, schemeList);
            }

            infos.Add(new PluginInfo(result.Name, result.Version, "loaded", null, typeNames, schemeNames));
        }

        Plugins = infos;
        StoreTypes = storeTypes.ToFrozenDictionary(p => p.Key, p => p.Value.Factory, StringComparer.Ordinal);
        AuthSchemes = schemes.ToFrozenDictionary(p => p.Key, p => p.Value.Factory, StringComparer.Ordinal);
    }

    public IReadOnlyList<PluginInfo> Plugins { get; }

    public IReadOnlyDictionary<string, ISecretStoreFactory> StoreTypes { get; }

    public IReadOnlyDictionary<string, IAuthSchemeFactory> AuthSchemes { get; }

    public void Dispose()
    {
        foreach (var loader in _loaders)
        {
            loader.Dispose();
        }

        _loaders.Clear();
    }

    private static string? FindConflict(
        PluginLoadResult result,
        Dictionary<string, (ISecretStoreFactory Factory, string Plugin)> storeTypes,
        Dictionary<string, (IAuthSchemeFactory Factory, string Plugin)> schemes)
    {
        var ownTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in result.StoreTypes)
        {
            if (storeTypes.TryGetValue(f.Type, out var existing))
            {
                return $"store type '{f.Type}' is already provided by plugin '{existing.Plugin}'";
            }

            if (!ownTypes.Add(f.Type))
            {
                return $"store type '{f.Type}' is registered twice";
            }
        }

        var ownSchemes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in result.AuthSchemes)
        {
            if (schemes.TryGetValue(f.Name, out var existing))
            {
                return $"auth scheme '{f.Name}' is already provided by plugin '{existing.Plugin}'";
            }

            if (!ownSchemes.Add(f.Name))
            {
                return $"auth scheme '{f.Name}' is registered twice";
            }
        }

        return null;
    }
}
