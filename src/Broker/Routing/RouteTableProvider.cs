using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Model;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Routing;

/// <summary>Holds the current <see cref="RouteTable"/>; rebuilt when the configuration changes, read lock-free on the hot path.</summary>
internal sealed class RouteTableProvider : IDisposable
{
    private readonly IConfigStateProvider _state;
    private readonly RouteTableBuilder _builder;
    private readonly ILogger _logger;
    private readonly Lock _rebuild = new();
    private volatile RouteTable _current = RouteTable.Empty;

    public RouteTableProvider(IConfigStateProvider state, IPluginCatalog catalog, IOutboundClients outbound, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        _state = state;
        _logger = loggerFactory.CreateLogger<RouteTableProvider>();
        _builder = new RouteTableBuilder(catalog.AuthSchemes, outbound.Plugins, loggerFactory, timeProvider);
        _state.Changed += OnChanged;
        OnChanged(_state.Current);
    }

    public RouteTable Current => _current;

    public void Dispose() => _state.Changed -= OnChanged;

    private void OnChanged(ConfigState state)
    {
        lock (_rebuild)
        {
            if (state.Version < _current.Version)
            {
                return;
            }

            try
            {
                _current = _builder.Build(state.Config, state.Version);
                RoutingLog.RouteTableRebuilt(_logger, state.Version);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                RoutingLog.RouteTableRebuildFailed(_logger, state.Version, ex);
            }
        }
    }
}
