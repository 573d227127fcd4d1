using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>
/// Reads the broker's request log as an operator can (<c>GET /v1/logs?limit=N</c>: the newest N records, at most 10,000),
/// every few seconds while the soak runs, asking for twice the answers seen since the last read plus a margin, so no record
/// is written and pushed out of reach between two reads. Keeps what each soak record says by request number.
/// </summary>
internal sealed class SoakRequestLog(BrokerProcess broker, SoakLedger ledger)
{
    private const int MaxLimit = 10_000;
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(3);
    private long _answeredAtLastRead;
    private long _duplicates;

    /// <summary>Agent, vault and status of each soak record read, by request number.</summary>
    public ConcurrentDictionary<long, SoakExpectedRecord> Seen { get; } = new();

    /// <summary>Records read twice for one request number (each request must leave exactly one).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    public int Reads { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(Pause, CancellationToken.None);
            await ReadAsync();
        }
    }

    /// <summary>After the run: reads until every expected record is there or <paramref name="deadline"/> passes (records are written asynchronously).</summary>
    public async Task<IReadOnlyList<long>> MissingAfterAsync(TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            await ReadAsync();
            var missing = ledger.Expected.Keys.Where(seq => !Seen.ContainsKey(seq)).Order().ToList();
            if (missing.Count == 0 || DateTime.UtcNow >= until)
            {
                return missing;
            }

            await Task.Delay(500);
        }
    }

    private async Task ReadAsync()
    {
        var answered = ledger.Answered;
        var limit = (int)Math.Min(MaxLimit, (2 * (answered - _answeredAtLastRead)) + 2_000);
        using var api = broker.CreateApiClient();
        using var response = await api.GetAsync(new Uri("/v1/logs?limit=" + limit.ToString(CultureInfo.InvariantCulture), UriKind.Relative));
        if (!response.IsSuccessStatusCode)
        {
            ledger.Fail($"GET /v1/logs: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return;
        }

        using var records = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        foreach (var record in records.RootElement.EnumerateArray())
        {
            var seq = SoakCall.SeqOf(record.GetProperty("path").GetString());
            if (seq < 0)
            {
                continue;
            }

            var seen = new SoakExpectedRecord(record.GetProperty("agent").GetString() ?? "", record.GetProperty("vault").GetString() ?? "", record.GetProperty("status").GetInt32());
            if (!Seen.TryAdd(seq, seen) && Seen[seq] != seen)
            {
                Interlocked.Increment(ref _duplicates);
            }
        }

        _answeredAtLastRead = answered;
        Reads++;
    }
}
