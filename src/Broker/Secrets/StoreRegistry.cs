using System.Collections.Frozen;
using AgentVault.Abstractions.Plugins;
using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// Builds store instances from the configuration and rebuilds only the changed ones when it changes. It subscribes to no
/// change itself: the snapshot publisher calls <see cref="Rebuild"/> for each configuration version, in order. A replaced or
/// removed instance is retired: listeners of <see cref="StoreRetired"/> (the cache) may still use it, and it is disposed
/// after a grace period once its in-flight calls have exited.
/// </summary>
internal sealed class StoreRegistry : IStoreRegistry, IAsyncDisposable
{
    private static readonly TimeSpan RetireGrace = TimeSpan.FromSeconds(30);

    private readonly IPluginCatalog _catalog;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly string _dataDirectory;
    private readonly Lock _rebuildLock = new();
    private readonly HashSet<ISecretStore> _pendingDisposal = new(ReferenceEqualityComparer.Instance);
    private FrozenDictionary<string, StoreSlot> _slots = FrozenDictionary<string, StoreSlot>.Empty;
    private HttpClient? _fallbackClient;
    private bool _disposed;

    public StoreRegistry(IPluginCatalog catalog, ServerOptions options, IServiceProvider services, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _catalog = catalog;
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<StoreRegistry>();
        _time = time;
        _dataDirectory = options.DataDir;
    }

    /// <summary>Raised (under the rebuild lock) for each slot replaced (<c>removed</c> false) or removed (true) before it is retired.</summary>
    public event Action<StoreSlot, bool>? StoreRetired;

    public ISecretStore? Find(string storeName, out string? unavailableReason)
    {
        if (!_slots.TryGetValue(storeName, out var slot))
        {
            unavailableReason = $"no store named '{storeName}' is configured";
            return null;
        }

        unavailableReason = slot.UnavailableReason;
        return slot.Instance;
    }

    /// <summary>The current slot of a store, or null when no store has that name.</summary>
    public StoreSlot? GetSlot(string storeName) => _slots.GetValueOrDefault(storeName);

    /// <summary>Applies a new list of store definitions: unchanged stores keep their instance.</summary>
    public void Rebuild(IReadOnlyList<StoreDefinition>? definitions)
    {
        lock (_rebuildLock)
        {
            if (_disposed)
            {
                return;
            }

            var old = _slots;
            var next = new Dictionary<string, StoreSlot>(StringComparer.Ordinal);
            foreach (var definition in definitions ?? [])
            {
                if (next.ContainsKey(definition.Name))
                {
                    continue;
                }

                var fingerprint = definition.Type + "\n" + (definition.Settings?.ToJsonString() ?? "{}");
                if (old.TryGetValue(definition.Name, out var existing) && existing.Fingerprint == fingerprint)
                {
                    next[definition.Name] = existing.Definition == definition
                        ? existing
                        : new StoreSlot(definition, fingerprint, existing.Instance, existing.UnavailableReason);
                    continue;
                }

                next[definition.Name] = Build(definition, fingerprint);
            }

            var kept = new HashSet<ISecretStore>(next.Values.Where(s => s.Instance is not null).Select(s => s.Instance!), ReferenceEqualityComparer.Instance);
            var retired = new List<(StoreSlot Slot, ISecretStore? Instance)>();
            foreach (var (name, slot) in old)
            {
                if (next.TryGetValue(name, out var replacement) && ReferenceEquals(replacement, slot))
                {
                    continue;
                }

                // Listeners drop cached values and take the leases of the old instance before anyone can use the new one.
                var removed = replacement is null;
                if (removed || replacement!.Fingerprint != slot.Fingerprint)
                {
                    StoreRetired?.Invoke(slot, removed);
                }

                var instance = slot.Instance is not null && !kept.Contains(slot.Instance) ? slot.Instance : null;
                if (instance is not null)
                {
                    _pendingDisposal.Add(instance);
                }

                retired.Add((slot, instance));
            }

            _slots = next.ToFrozenDictionary(StringComparer.Ordinal);
            foreach (var (slot, instance) in retired)
            {
                _ = RetireAsync(slot, instance);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<ISecretStore> instances;
        lock (_rebuildLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var slot in _slots.Values)
            {
                _ = slot.RetireAsync();
                if (slot.Instance is not null)
                {
                    _pendingDisposal.Add(slot.Instance);
                }
            }

            _slots = FrozenDictionary<string, StoreSlot>.Empty;
            instances = [.. _pendingDisposal];
            _pendingDisposal.Clear();
        }

        foreach (var instance in instances)
        {
            await DisposeInstanceAsync(instance).ConfigureAwait(false);
        }

        _fallbackClient?.Dispose();
    }

    private StoreSlot Build(StoreDefinition definition, string fingerprint)
    {
        if (!_catalog.StoreTypes.TryGetValue(definition.Type, out var factory))
        {
            var reason = $"no loaded plugin provides store type '{definition.Type}'";
            SecretsLog.StoreUnavailable(_logger, definition.Name, reason);
            return new StoreSlot(definition, fingerprint, null, reason);
        }

        var settings = new PluginSettings(definition.Settings?.DeepClone().AsObject());
        try
        {
            var validation = new SettingsValidation();
            factory.Validate(settings, validation);
            if (!validation.IsValid)
            {
                var reason = "invalid settings: " + string.Join("; ", validation.Problems.Select(p => $"{p.Path}: {p.Message}"));
                SecretsLog.StoreUnavailable(_logger, definition.Name, reason);
                return new StoreSlot(definition, fingerprint, null, reason);
            }

            var instance = factory.Create(CreateContext(definition.Name, settings));
            SecretsLog.StoreCreated(_logger, definition.Name, definition.Type);
            return new StoreSlot(definition, fingerprint, instance, null);
        }
        catch (Exception ex)
        {
            // Plugin code: any failure makes this one store unavailable, never the broker.
            var reason = ex is SecretStoreException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            SecretsLog.StoreUnavailable(_logger, definition.Name, reason);
            return new StoreSlot(definition, fingerprint, null, reason);
        }
    }

    private SecretStoreContext CreateContext(string storeName, PluginSettings settings) => new()
    {
        StoreName = storeName,
        Settings = settings,
        Bootstrap = new BootstrapSecretResolver(storeName, () => _services.GetService<IReferenceResolver>()),
        HttpClient = PluginHttpClient(),
        LoggerFactory = _loggerFactory,
        TimeProvider = _time,
        DataDirectory = _dataDirectory,
        Protector = FindProtector(),
    };

    private HttpClient PluginHttpClient()
    {
        var outbound = _services.GetService<IOutboundClients>();
        if (outbound is not null)
        {
            return outbound.Plugins;
        }

        // Until the outbound stack is registered: a plain client with verified TLS and no automatic redirects.
        return _fallbackClient ??= new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    private IAtRestProtector? FindProtector()
    {
        try
        {
            return _services.GetService<IAtRestProtector>();
        }
        catch (InvalidOperationException ex)
        {
            SecretsLog.ProtectorUnavailable(_logger, ex.Message);
            return null;
        }
    }

    private async Task RetireAsync(StoreSlot slot, ISecretStore? instance)
    {
        var drained = slot.RetireAsync();
        if (instance is null)
        {
            return;
        }

        // Callers of Find() do not enter the slot: give them a grace period, then wait for the resolver's calls.
        await Task.Delay(RetireGrace, _time).ConfigureAwait(false);
        await drained.ConfigureAwait(false);
        lock (_rebuildLock)
        {
            if (!_pendingDisposal.Remove(instance))
            {
                return;
            }
        }

        await DisposeInstanceAsync(instance).ConfigureAwait(false);
    }

    private async Task DisposeInstanceAsync(ISecretStore instance)
    {
        try
        {
            await instance.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            SecretsLog.StoreDisposeFailed(_logger, ex, instance.GetType().Name);
        }
    }
}
