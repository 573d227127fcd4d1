using System.Diagnostics;
using System.Globalization;

namespace AgentVault.Functional.Tests.Hostile;

/// <summary>
/// A well-behaved agent that keeps making ordinary requests through the broker while an attack runs, one after another on
/// a keep-alive tunnel, and records how each went: the figures the closing note asks for (latency of a normal request under
/// attack) and the failures the tests forbid.
/// </summary>
internal sealed class AgentProbe : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<double> _milliseconds = [];
    private readonly List<string> _failures = [];
    private Task? _loop;

    public AgentProbe(HttpClient client, Uri target)
    {
        _client = client;
        _target = target;
    }

    public IReadOnlyList<string> Failures => _failures;

    public int Requests => _milliseconds.Count + _failures.Count;

    public void Start() => _loop = Task.Run(LoopAsync);

    public async Task<string> StopAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        return Summary();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await _client.GetAsync(new Uri(_target, "probe-" + i.ToString(CultureInfo.InvariantCulture)), CancellationToken.None);
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (!response.IsSuccessStatusCode || !body.Contains("probe-" + i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
                {
                    _failures.Add($"probe {i}: {(int)response.StatusCode} {body}");
                    continue;
                }

                _milliseconds.Add(clock.Elapsed.TotalMilliseconds);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                _failures.Add($"probe {i}: {ex.GetType().Name}: {ex.Message}");
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    private string Summary()
    {
        if (_milliseconds.Count == 0)
        {
            return $"{_failures.Count} failed, none succeeded";
        }

        var sorted = _milliseconds.Order().ToArray();
        double At(double quantile) => sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
        return string.Create(CultureInfo.InvariantCulture,
            $"{sorted.Length} ok, {_failures.Count} failed; latency p50 {At(0.5):F1} ms, p99 {At(0.99):F1} ms, max {sorted[^1]:F1} ms");
    }
}
