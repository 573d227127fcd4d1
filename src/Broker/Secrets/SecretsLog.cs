using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Secrets;

/// <summary>Log messages of the Secrets feature: names of plugins, stores and paths only, never a value.</summary>
internal static partial class SecretsLog
{
    [LoggerMessage(EventId = 5000, EventName = "PluginsDirectoryMissing", Level = LogLevel.Warning, Message = "Plugins directory {Directory} does not exist; no plugins loaded")]
    public static partial void PluginsDirectoryMissing(ILogger logger, string directory);

    [LoggerMessage(EventId = 5001, EventName = "PluginLoaded", Level = LogLevel.Information, Message = "Loaded plugin {Plugin} {Version} (store types: {StoreTypes}; auth schemes: {AuthSchemes})")]
    public static partial void PluginLoaded(ILogger logger, string plugin, string version, string storeTypes, string authSchemes);

    [LoggerMessage(EventId = 5002, EventName = "PluginFailed", Level = LogLevel.Error, Message = "Plugin {Plugin} failed to load and is skipped: {Error}")]
    public static partial void PluginFailed(ILogger logger, string plugin, string error);

    [LoggerMessage(EventId = 5003, EventName = "PluginRegisterFailed", Level = LogLevel.Debug, Message = "Register of plugin {Plugin} ({Type}) threw")]
    public static partial void PluginRegisterFailed(ILogger logger, Exception exception, string plugin, string type);

    [LoggerMessage(EventId = 5004, EventName = "PluginsUnpinned", Level = LogLevel.Warning, Message = "Plugins are loaded without a lock: no {LockFile} (and no --plugins-lock); write one with 'agent-vault plugins lock'")]
    public static partial void PluginsUnpinned(ILogger logger, string lockFile);

    [LoggerMessage(EventId = 5010, EventName = "StoreCreated", Level = LogLevel.Information, Message = "Store {Store} of type {Type} is available")]
    public static partial void StoreCreated(ILogger logger, string store, string type);

    [LoggerMessage(EventId = 5011, EventName = "StoreUnavailable", Level = LogLevel.Warning, Message = "Store {Store} is unavailable: {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, string store, string reason);

    [LoggerMessage(EventId = 5012, EventName = "StoreDisposeFailed", Level = LogLevel.Warning, Message = "Disposing a replaced store instance ({Store}) failed")]
    public static partial void StoreDisposeFailed(ILogger logger, Exception exception, string store);

    [LoggerMessage(EventId = 5013, EventName = "ProtectorUnavailable", Level = LogLevel.Debug, Message = "No at-rest protector for stores: {Reason}")]
    public static partial void ProtectorUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5014, EventName = "StoreCacheDropped", Level = LogLevel.Information, Message = "Store {Store} was {Change}; its cached values were dropped")]
    public static partial void StoreCacheDropped(ILogger logger, string store, string change);

    [LoggerMessage(EventId = 5020, EventName = "ServingStale", Level = LogLevel.Warning, Message = "Store {Store} failed for {Path}; serving the cached value within max_stale: {Error}")]
    public static partial void ServingStale(ILogger logger, string store, string path, string error);

    [LoggerMessage(EventId = 5021, EventName = "RefreshAheadFailed", Level = LogLevel.Debug, Message = "Background refresh of {Store}:{Path} failed: {Error}")]
    public static partial void RefreshAheadFailed(ILogger logger, string store, string path, string error);

    [LoggerMessage(EventId = 5030, EventName = "LeaseRenewed", Level = LogLevel.Debug, Message = "Renewed the lease of {Store}:{Path} for {Duration}")]
    public static partial void LeaseRenewed(ILogger logger, string store, string path, TimeSpan duration);

    [LoggerMessage(EventId = 5031, EventName = "LeaseRenewFailed", Level = LogLevel.Warning, Message = "Renewing the lease of {Store}:{Path} failed; it will be read again when it ends: {Error}")]
    public static partial void LeaseRenewFailed(ILogger logger, string store, string path, string error);

    [LoggerMessage(EventId = 5032, EventName = "LeaseRevoked", Level = LogLevel.Debug, Message = "Revoked the lease of {Store}:{Path}")]
    public static partial void LeaseRevoked(ILogger logger, string store, string path);

    [LoggerMessage(EventId = 5033, EventName = "LeaseRevokeFailed", Level = LogLevel.Warning, Message = "Revoking the lease of {Store}:{Path} failed: {Error}")]
    public static partial void LeaseRevokeFailed(ILogger logger, string store, string path, string error);

    [LoggerMessage(EventId = 5040, EventName = "MaintenanceFailed", Level = LogLevel.Error, Message = "Secret cache maintenance failed")]
    public static partial void MaintenanceFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5050, EventName = "DevStoreAdded", Level = LogLevel.Warning, Message = "--dev: added the file store '{Store}' (encrypted with the development master key)")]
    public static partial void DevStoreAdded(ILogger logger, string store);

    [LoggerMessage(EventId = 5051, EventName = "DevStoreSkipped", Level = LogLevel.Warning, Message = "--dev: the local file store was not added: {Reason}")]
    public static partial void DevStoreSkipped(ILogger logger, string reason);
}
