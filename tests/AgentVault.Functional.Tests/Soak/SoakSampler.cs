using System.Diagnostics;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.Soak;

/// <summary>Samples the broker's resident memory, open descriptors and threads every two seconds (with the answers counted so far).</summary>
internal sealed class SoakSampler(int pid, SoakLedger ledger)
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public List<SoakSample> Samples { get; } = [];

    public SoakSample Take()
    {
        var sample = new SoakSample(_clock.Elapsed, ProcessStats.Read(pid), ledger.Answered);
        lock (Samples)
        {
            Samples.Add(sample);
        }

        return sample;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Take();
            await Task.Delay(Pause, CancellationToken.None);
        }
    }
}
