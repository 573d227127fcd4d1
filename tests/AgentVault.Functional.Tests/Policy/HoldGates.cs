using System.Collections.Concurrent;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// Named gates for upstream requests that must stay in flight until the test says so: the upstream handler reports its
/// arrival and waits; the test awaits the arrival (with a deadline) and releases it. No sleeps, no timing.
/// </summary>
internal sealed class HoldGates
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.Ordinal);

    /// <summary>Completes when a request for <paramref name="name"/> reached the upstream.</summary>
    public Task ArrivedAsync(string name, TimeSpan deadline) => Get(name).Arrived.Task.WaitAsync(deadline);

    /// <summary>Lets the request held under <paramref name="name"/> answer.</summary>
    public void Release(string name) => Get(name).Released.TrySetResult();

    /// <summary>Releases every gate (on dispose, so no handler waits forever).</summary>
    public void ReleaseAll()
    {
        foreach (var gate in _gates.Values)
        {
            gate.Released.TrySetResult();
        }
    }

    /// <summary>Called by the upstream handler: reports the arrival and waits for the release.</summary>
    public async Task HoldAsync(string name, CancellationToken cancellationToken)
    {
        var gate = Get(name);
        gate.Arrived.TrySetResult();
        await gate.Released.Task.WaitAsync(cancellationToken);
    }

    private Gate Get(string name) => _gates.GetOrAdd(name, _ => new Gate());

    private sealed class Gate
    {
        public TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
