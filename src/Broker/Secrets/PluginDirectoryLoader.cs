using System.Reflection;
using AgentVault.Abstractions.Plugins;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// Loads every <c>&lt;dir&gt;/&lt;Name&gt;/&lt;Name&gt;.dll</c> into its own load context, sharing the plugin contract and the
/// logging abstractions with the broker, and runs each public <see cref="IAgentVaultPlugin"/>'s <c>Register</c>.
/// A broken folder becomes a failed result; nothing here throws for a bad plugin.
/// </summary>
internal sealed class PluginDirectoryLoader
{
    private static readonly Type[] SharedTypes =
    [
        typeof(IAgentVaultPlugin),
        typeof(ILogger),
        typeof(ILoggerFactory),
        typeof(System.Text.Json.Nodes.JsonNode),
    ];

    private readonly ILogger _logger;

    public PluginDirectoryLoader(ILogger logger) => _logger = logger;

    /// <summary>
    /// Loads all plugin folders in name order; <paramref name="loaders"/> receives the load contexts to keep alive. With a
    /// <paramref name="pins"/> lock, a folder whose files differ from it is not loaded at all.
    /// </summary>
    public IReadOnlyList<PluginLoadResult> LoadAll(string pluginsDirectory, List<PluginLoader> loaders, PluginLock? pins = null)
    {
        if (!Directory.Exists(pluginsDirectory))
        {
            SecretsLog.PluginsDirectoryMissing(_logger, pluginsDirectory);
            return [];
        }

        var results = new List<PluginLoadResult>();
        var folders = Directory.GetDirectories(pluginsDirectory).OrderBy(d => d, StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            var mismatch = pins?.Verify(pluginsDirectory, Path.GetFileName(folder));
            results.Add(mismatch is null ? LoadOne(folder, loaders) : PluginLoadResult.Failed(Path.GetFileName(folder), null, mismatch));
        }

        return results;
    }

    private PluginLoadResult LoadOne(string folder, List<PluginLoader> loaders)
    {
        var name = Path.GetFileName(folder);
        var dll = Path.Combine(folder, name + ".dll");
        if (!File.Exists(dll))
        {
            return PluginLoadResult.Failed(name, null, $"missing {name}.dll in plugin folder '{name}'");
        }

        PluginLoader loader;
        Assembly assembly;
        try
        {
            loader = PluginLoader.CreateFromAssemblyFile(dll, SharedTypes, cfg => cfg.PreferSharedTypes = true);
            assembly = loader.LoadDefaultAssembly();
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or InvalidOperationException or IOException)
        {
            return PluginLoadResult.Failed(name, null, $"cannot load {name}.dll: {FirstLine(ex.Message)}");
        }

        loaders.Add(loader);
        var version = ReadVersion(assembly);
        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            return PluginLoadResult.Failed(name, version, $"cannot read the types of {name}.dll: {FirstLine(ex.Message)}");
        }

        var entryTypes = types
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAgentVaultPlugin).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        if (entryTypes.Count == 0)
        {
            return PluginLoadResult.Failed(name, version, $"{name}.dll has no public class implementing IAgentVaultPlugin (built against another AgentVault.Abstractions?)");
        }

        var registrar = new PluginRegistrar();
        foreach (var type in entryTypes)
        {
            try
            {
                var plugin = (IAgentVaultPlugin)Activator.CreateInstance(type)!;
                plugin.Register(registrar);
            }
            catch (Exception ex)
            {
                var inner = ex is TargetInvocationException { InnerException: { } ie } ? ie : ex;
                SecretsLog.PluginRegisterFailed(_logger, inner, name, type.FullName ?? type.Name);
                return PluginLoadResult.Failed(name, version, $"{type.Name}.Register failed: {FirstLine(inner.Message)}");
            }
        }

        return new PluginLoadResult(name, version, null, registrar.StoreTypes, registrar.AuthSchemes);
    }

    private static string? ReadVersion(Assembly assembly)
    {
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return assembly.GetName().Version?.ToString();
        }

        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? informational[..plus] : informational;
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
