using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Routing;

/// <summary>
/// Holds the current <see cref="RouteTable"/>; rebuilt when the configuration changes, read lock-free on the hot path. Auth scheme
/// instances a rebuild drops are disposed once every table that could still hand them to a request has drained.
/// </summary>
internal sealed class RouteTableProvider : IDisposable, IAsyncDisposable
{
    private readonly IConfigStateProvider _state;
    private readonly RouteTableBuilder _builder;
    private readonly ILogger _logger;
    private readonly Lock _rebuild = new();
    private readonly Lock _retire = new();

    // Retired tables in retirement order, each with the schemes dropped when it was replaced. A scheme dropped at the
    // retirement of table N may be in use through any table up to N, so entries are released strictly from the front.
    private readonly Queue<(RouteTable Table, IReadOnlyList<IAuthScheme> Dropped)> _retired = new();
    private volatile RouteTable _current;
    private bool _disposed;

    public RouteTableProvider(IConfigStateProvider state, IPluginCatalog catalog, IOutboundClients outbound, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _state = state;
        _logger = loggerFactory.CreateLogger<RouteTableProvider>();
        _builder = new RouteTableBuilder(catalog.AuthSchemes, outbound.Plugins, loggerFactory, timeProvider);
        _current = RouteTable.CreateEmpty();
        _current.Drained = OnDrained;
        _state.Changed += OnChanged;
        OnChanged(_state.Current);
    }

    /// <summary>The current table, for decisions that use no auth scheme (e.g. whether a CONNECT host is covered).</summary>
    public RouteTable Current => _current;

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

    /// <summary>Leases the current table for one request; the caller must <see cref="RouteTable.Release"/> it when the request ends.</summary>
    public RouteTable Acquire()
    {
        while (true)
        {
            // A retired table is only ever seen after _current moved on, so the next read makes progress.
            var table = _current;
            if (table.TryAcquire())
            {
                return table;
            }
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

    private void OnChanged(ConfigState state)
    {
        lock (_rebuild)
        {
            if (state.Version < _current.Version)
            {
                return;
            }

            RouteTable next;
            try
            {
                next = _builder.Build(state.Config, state.Version);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                RoutingLog.RouteTableRebuildFailed(_logger, state.Version, ex);
                return;
            }

            next.Drained = OnDrained;
            var previous = _current;
            _current = next;
            lock (_retire)
            {
                _retired.Enqueue((previous, _builder.Dropped));
            }

            previous.Retire();
            RoutingLog.RouteTableRebuilt(_logger, state.Version);
        }
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
