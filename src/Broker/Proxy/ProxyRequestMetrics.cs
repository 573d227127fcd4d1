using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// The duration of every proxied request that has a request-log record, on the meter <c>AgentVault.Proxy</c>
/// (<c>/metrics</c> and OTLP): <c>agentvault.proxy.request.duration</c> in seconds, by vault, service, status code and error
/// code; all bounded by the configuration, never by what agents send.
/// </summary>
internal sealed class ProxyRequestMetrics : IDisposable
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _duration;

    public ProxyRequestMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(UnauthenticatedRefusals.MeterName) ?? new Meter(UnauthenticatedRefusals.MeterName);
        _duration = _meter.CreateHistogram("agentvault.proxy.request.duration", unit: "s",
            description: "Proxied requests with a request-log record: from arrival to the end of the answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
    }

    public void Record(ProxyExchange exchange)
    {
        if (!_duration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "vault", exchange.Identity?.Vault },
            { "service", exchange.Route?.Name },
            { "status_code", exchange.Context.Response.StatusCode },
            { "error", exchange.Failure?.Error.Code },
        };
        _duration.Record(exchange.Elapsed.TotalSeconds, tags);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
