using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using AgentVault.Broker.Errors;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// Accounts for refusals of clients that did not authenticate (407, and the auth throttle's 429). They never become request-log
/// records — anyone who can reach the proxy port could otherwise flush real records out of the retention window — so they are
/// counted on the meter <c>AgentVault.Proxy</c> and reported in the server log at most once per second per client address.
/// </summary>
internal sealed class UnauthenticatedRefusals : IDisposable
{
    public const string MeterName = "AgentVault.Proxy";

    // Bounds the per-address memory a client spraying source addresses can cause; past it the map starts afresh.
    private const int MaxAddresses = 10_000;
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _refused;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPAddress, Sample> _samples = new();

    public UnauthenticatedRefusals(ILogger<UnauthenticatedRefusals> logger, TimeProvider time, IMeterFactory? meterFactory = null)
    {
        _logger = logger;
        _time = time;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _refused = _meter.CreateCounter<long>("agentvault.proxy.unauthenticated_refusals",
            description: "Proxy requests and CONNECTs refused before the client authenticated (407, or 429 from the auth throttle); never request-log records.");
    }

    /// <summary>Counts one refusal and logs it unless this address was already reported within the last second.</summary>
    public void Record(ProxyError error, IPAddress? client)
    {
        _refused.Add(1, new KeyValuePair<string, object?>("code", error.Code));
        var address = client ?? IPAddress.None;
        var now = _time.GetTimestamp();
        if (_samples.Count >= MaxAddresses)
        {
            _samples.Clear();
        }

        var sample = _samples.GetOrAdd(address, static _ => new Sample());
        var suppressed = sample.TryTake(now, SampleInterval, _time);
        if (suppressed >= 0)
        {
            ProxyLog.UnauthenticatedRefused(_logger, address, error.Code, suppressed);
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    /// <summary>When an address was last reported and how many refusals went unreported since.</summary>
    private sealed class Sample
    {
        private readonly Lock _gate = new();
        private long _lastReported = long.MinValue;
        private long _suppressed;

        /// <summary>Returns the number of refusals suppressed since the last report when this one is to be reported, else -1.</summary>
        public long TryTake(long now, TimeSpan interval, TimeProvider time)
        {
            lock (_gate)
            {
                if (_lastReported != long.MinValue && time.GetElapsedTime(_lastReported, now) < interval)
                {
                    _suppressed++;
                    return -1;
                }

                _lastReported = now;
                var suppressed = _suppressed;
                _suppressed = 0;
                return suppressed;
            }
        }
    }
}
