using AgentVault.Broker.Sinks;

namespace AgentVault.Broker.Tests.Sinks;

/// <summary>A sink writer for tests: records what it is given, or never finishes a write while <see cref="Blocked"/>.</summary>
internal sealed class RecordingSinkWriter : ISinkWriter
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Blocked { get; init; }

    public List<SinkRecord> Written { get; } = [];

    public TaskCompletionSource FirstWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _release.TrySetResult();

    public async Task WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        FirstWriteStarted.TrySetResult();
        if (Blocked)
        {
            await _release.Task.WaitAsync(cancellationToken);
        }

        lock (Written)
        {
            Written.AddRange(batch);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
