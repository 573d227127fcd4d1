using System.Globalization;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>The soak's figures for the test output (requests by kind, refusals, operator steps, memory and descriptors) and its leak check.</summary>
internal sealed class SoakReport(ITestOutputHelper output, SoakLedger ledger, SoakUpstream upstream, SoakRequestLog log, List<SoakSample> samples, TimeSpan duration)
{
    private const long MiB = 1024;

    public void Print(SoakSample idle, SoakSample end, SoakSample settled, int revocations, int changes, SoakMetrics metrics)
    {
        var run = During();
        Line($"soak: {duration.TotalSeconds:0} s, {ledger.Answered} answers ({ledger.Answered / duration.TotalSeconds:0} per second), {ledger.Failures} failures");
        foreach (var (what, count) in ledger.Counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            Line($"  {what,-48} {count,9}");
        }

        Line($"operator: {revocations} revocations, {changes} configuration changes");
        Line($"upstream: {upstream.Seen.Count} soak requests received, {upstream.WrongCredentials} with a wrong credential");
        Line($"request log: {ledger.Expected.Count} records expected, {log.Seen.Count} soak records read in {log.Reads} reads, {log.Duplicates} duplicates; broker counters written {metrics.Written}, dropped {metrics.Dropped}");
        Line("broker process             RSS MiB   open fds   threads   answered");
        Row("idle, before traffic", idle);
        if (run.Count >= 3)
        {
            var (first, last) = Thirds(run);
            Row("first third (median)", Median(first));
            Row("last third (median)", Median(last));
            Row("peak RSS", run.MaxBy(s => s.Stats.RssKiB));
            Row("peak fds", run.MaxBy(s => s.Stats.OpenFiles));
        }

        lock (samples)
        {
            // The course of the run in ten steps, so a plateau and a slope can be told apart.
            var step = Math.Max(1, samples.Count / 10);
            Line("  RSS MiB / fds along the run: " + string.Join("  ", samples.Where((_, i) => i % step == 0)
                .Select(s => $"{s.At.TotalSeconds:0}s {s.Stats.RssKiB / MiB}/{s.Stats.OpenFiles}")));
        }

        Row("end of traffic", end);
        Row("after 10 s idle", settled);
    }

    /// <summary>
    /// The leak check. Warm-up (the first fifth of the run, at least 60 s: JIT, pools, caches, and the server GC growing
    /// its heaps to the load, which took RSS from about 105 to 270 MiB in the first minute here) is left out; the median of the last third of the samples is compared with the median of the first third.
    /// </summary>
    public void AssertFlat(SoakSample idle, SoakSample settled)
    {
        var run = During();
        Assert.True(run.Count >= 6, $"only {run.Count} samples after warm-up");
        var (first, last) = Thirds(run);
        var (a, b) = (Median(first), Median(last));
        var requests = b.Answered - a.Answered;

        // Memory: the server GC keeps what it collected for reuse and its heap size moves by tens of MiB with load, so the
        // bound is 64 MiB or a quarter of the first third, whichever is larger. Between the two medians the run answers
        // `requests` requests (tens of thousands in two minutes, about a million in an hour): a leak of one object graph of
        // a few KiB per request, or of anything per connection, grows RSS past it; GC noise does not.
        var rssBound = Math.Max(64 * MiB, a.Stats.RssKiB / 4);
        Assert.True(b.Stats.RssKiB <= a.Stats.RssKiB + rssBound,
            $"RSS grew from {a.Stats.RssKiB / MiB} MiB to {b.Stats.RssKiB / MiB} MiB over {requests} requests (bound +{rssBound / MiB} MiB)");

        // Descriptors: between the medians hundreds of tunnels are opened and closed (a tenth of requests opens one, and
        // each WebSocket over HTTP/1.1 takes one); the count in use moves with the connections open at the moment (under
        // a hundred agent tunnels). A descriptor lost per connection, or per WebSocket, exceeds 64 within the run.
        Assert.True(b.Stats.OpenFiles <= a.Stats.OpenFiles + 64,
            $"open descriptors grew from {a.Stats.OpenFiles} to {b.Stats.OpenFiles} over {requests} requests");

        // Once every agent connection is closed, the broker is back near where it started: what it still holds is its
        // listeners, the database, and idle connections to the upstream (pooled, closed after their idle timeout).
        Assert.True(settled.Stats.OpenFiles <= idle.Stats.OpenFiles + 64,
            $"after the traffic the broker holds {settled.Stats.OpenFiles} descriptors, {idle.Stats.OpenFiles} before it");
    }

    private List<SoakSample> During()
    {
        var warmUp = TimeSpan.FromSeconds(Math.Max(60, duration.TotalSeconds / 5));
        lock (samples)
        {
            return [.. samples.Where(s => s.At >= warmUp && s.At <= duration)];
        }
    }

    private static (List<SoakSample> First, List<SoakSample> Last) Thirds(List<SoakSample> run) =>
        (run.Take(run.Count / 3).ToList(), run.Skip(run.Count - (run.Count / 3)).ToList());

    private static SoakSample Median(List<SoakSample> samples)
    {
        static T Mid<T>(IEnumerable<T> values) => values.Order().ElementAt(values.Count() / 2);
        return new SoakSample(
            Mid(samples.Select(s => s.At)),
            new Testing.Broker.ProcessStats(Mid(samples.Select(s => s.Stats.RssKiB)), Mid(samples.Select(s => s.Stats.OpenFiles)), Mid(samples.Select(s => s.Stats.Threads))),
            Mid(samples.Select(s => s.Answered)));
    }

    private void Row(string what, SoakSample s) =>
        Line($"  {what,-24} {s.Stats.RssKiB / (double)MiB,8:0.0} {s.Stats.OpenFiles,10} {s.Stats.Threads,9} {s.Answered,10}   (t={s.At.TotalSeconds:0} s)");

    private void Line(string text) => output.WriteLine(text.ToString(CultureInfo.InvariantCulture));
}
