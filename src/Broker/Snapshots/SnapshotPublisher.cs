using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Model;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Snapshots;

/// <summary>
/// The one builder of the request path's view of the configuration, and the one subscriber to
/// <see cref="IConfigStateProvider.Changed"/>. For every change it runs three steps in this order, none of which can skip
/// another:
/// <list type="number">
/// <item>compile a whole new <see cref="BrokerSnapshot"/>: token index, agent limits, credential bindings, then the route
/// table with its auth scheme instances (plugin code, last). A build that throws publishes nothing: the previous snapshot
/// stays whole, the error is logged and the scheme instances the failed build created are disposed;</item>
/// <item>rebuild the store registry for the change's store definitions (a store whose plugin fails is unavailable with a
/// reason; any other exception is logged and contained here). This runs even when step 1 failed, as the store definitions
/// were saved;</item>
/// <item>swap the new snapshot in with one volatile write.</item>
/// </list>
/// The stores come before the swap so that a request that sees the new bindings finds the new stores. Versions older than
/// the newest one handled are ignored, so a late change never overwrites a newer one. Scheme instances a new snapshot drops
/// are disposed once every older snapshot that could still hand them to a request has drained.
/// </summary>
internal sealed class SnapshotPublisher : ICredentialBindingsSource, IDisposable, IAsyncDisposable
{
    private readonly IConfigStateProvider _state;
    private readonly RouteTableBuilder _builder;
    private readonly SecretCacheOptions _cacheOptions;
    private readonly StoreRegistry? _stores;
    private readonly ILogger _logger;
    private readonly Lock _rebuild = new();
    private readonly Lock _retire = new();

    // Retired tables in retirement order, each with the schemes dropped when it was replaced. A scheme dropped at the
    // retirement of table N may be in use through any table up to N, so entries are released strictly from the front.
    private readonly Queue<(RouteTable Table, IReadOnlyList<IAuthScheme> Dropped)> _retired = new();
    private volatile BrokerSnapshot _current;
    private long _handled = long.MinValue;
    private bool _disposed;

    /// <param name="cacheOptions">Defaults of the credential bindings' cache policies (the defaults when absent).</param>
    /// <param name="stores">The store registry to rebuild on each change (absent where no stores are configured, e.g. proxy tests).</param>
    public SnapshotPublisher(IConfigStateProvider state, IPluginCatalog catalog, IOutboundClients outbound, ILoggerFactory loggerFactory, TimeProvider timeProvider,
        SecretCacheOptions? cacheOptions = null, StoreRegistry? stores = null)
    {
        _state = state;
        _cacheOptions = cacheOptions ?? new SecretCacheOptions();
        _stores = stores;
        _logger = loggerFactory.CreateLogger<SnapshotPublisher>();
        _builder = new RouteTableBuilder(catalog.AuthSchemes, outbound.Plugins, loggerFactory, timeProvider);
        _current = BrokerSnapshot.CreateEmpty();
        _current.Routes.Drained = OnDrained;
        _state.Changed += OnChanged;
        Publish(_state.Current);
    }

    /// <summary>The current snapshot, for decisions that use no auth scheme (e.g. whether a CONNECT host is covered).</summary>
    public BrokerSnapshot Current => _current;

    /// <summary>The credential bindings of the current snapshot.</summary>
    public CredentialBindings Bindings => _current.Bindings;

    /// <summary>Retired tables whose dropped schemes still wait for older requests to end (for tests and diagnostics).</summary>
    internal int PendingRetirements
    {
        get
        {
            lock (_retire)
            {
                return _retired.Count;
            }
        }
    }

    /// <summary>Leases the current snapshot for one request; the caller must <see cref="BrokerSnapshot.Release"/> it when the request ends.</summary>
    public BrokerSnapshot Acquire()
    {
        while (true)
        {
            // A retired snapshot is only ever seen after _current moved on, so the next read makes progress.
            var snapshot = _current;
            if (snapshot.Routes.TryAcquire())
            {
                return snapshot;
            }
        }
    }

    /// <summary>
    /// Runs the three steps for <paramref name="state"/> unless a newer version was handled already; false when the snapshot
    /// could not be built (the previous one stays in use).
    /// </summary>
    public bool Publish(ConfigState state)
    {
        lock (_rebuild)
        {
            if (_disposed || state.Version < _handled)
            {
                return true;
            }

            _handled = state.Version;
            var next = Compile(state);
            RebuildStores(state);
            if (next is null)
            {
                return false;
            }

            Swap(next);
            SnapshotLog.Published(_logger, state.Version);
            return true;
        }
    }

    public void Dispose()
    {
        _state.Changed -= OnChanged;
        _ = AuthSchemeDisposal.DisposeAsync(TakeAll(), _logger);
    }

    public async ValueTask DisposeAsync()
    {
        _state.Changed -= OnChanged;
        await AuthSchemeDisposal.DisposeAsync(TakeAll(), _logger).ConfigureAwait(false);
    }

    private void OnChanged(ConfigState state) => Publish(state);

    private BrokerSnapshot? Compile(ConfigState state)
    {
        try
        {
            // Everything is compiled before anything is published; the route table last, as it runs plugin code.
            var tokens = TokenIndex.Build(state);
            var limits = BrokerSnapshot.CompileLimits(state.Config);
            var bindings = CredentialBindings.Build(state.Config, _cacheOptions);
            var next = new BrokerSnapshot(state.Version, tokens, _builder.Build(state.Config, state.Version), limits, bindings);
            _builder.Commit();
            return next;
        }
        catch (Exception ex)
        {
            // Plugin code may throw anything: the previous snapshot stays in use, whole.
            SnapshotLog.BuildFailed(_logger, state.Version, ex);
            _ = AuthSchemeDisposal.DisposeAsync(_builder.Orphans, _logger);
            return null;
        }
    }

    private void RebuildStores(ConfigState state)
    {
        try
        {
            _stores?.Rebuild(state.Config.Stores);
        }
        catch (Exception ex)
        {
            // Per-store plugin failures are contained by the registry; anything else must not keep the snapshot from its swap.
            SnapshotLog.StoreRebuildFailed(_logger, state.Version, ex);
        }
    }

    private void Swap(BrokerSnapshot next)
    {
        next.Routes.Drained = OnDrained;
        var previous = _current;
        _current = next;
        lock (_retire)
        {
            _retired.Enqueue((previous.Routes, _builder.Dropped));
        }

        previous.Routes.Retire();
    }

    private void OnDrained(RouteTable table)
    {
        List<IAuthScheme>? drained = null;
        lock (_retire)
        {
            while (_retired.TryPeek(out var head) && head.Table.IsDrained)
            {
                _retired.Dequeue();
                (drained ??= []).AddRange(head.Dropped);
            }
        }

        if (drained is not null)
        {
            // Off the request path: the last request of an old table must not wait for a plugin's cleanup.
            _ = Task.Run(() => AuthSchemeDisposal.DisposeAsync(drained, _logger));
        }
    }

    private List<IAuthScheme> TakeAll()
    {
        var all = new List<IAuthScheme>();
        lock (_rebuild)
        {
            if (_disposed)
            {
                return all;
            }

            _disposed = true;
            lock (_retire)
            {
                while (_retired.TryDequeue(out var entry))
                {
                    all.AddRange(entry.Dropped);
                }
            }

            all.AddRange(_builder.Current);
        }

        return all;
    }
}
