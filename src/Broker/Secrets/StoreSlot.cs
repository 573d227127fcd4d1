using AgentVault.Abstractions.Secrets;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// One configured store as built by the registry: its live instance or the reason it is unavailable. Users enter and
/// exit around each call so a replaced instance is disposed only after its in-flight calls finished.
/// </summary>
internal sealed class StoreSlot
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inflight;
    private bool _retired;

    public StoreSlot(StoreDefinition definition, string fingerprint, ISecretStore? instance, string? unavailableReason)
    {
        Definition = definition;
        Fingerprint = fingerprint;
        Instance = instance;
        UnavailableReason = unavailableReason;
    }

    public string Name => Definition.Name;

    public StoreDefinition Definition { get; }

    /// <summary>Type and settings as JSON: equal fingerprints mean the instance can be kept across a configuration change.</summary>
    public string Fingerprint { get; }

    public ISecretStore? Instance { get; }

    public string? UnavailableReason { get; }

    public bool IsRetired => Volatile.Read(ref _retired);

    /// <summary>Marks the start of a call on <see cref="Instance"/>; false once the slot was retired.</summary>
    public bool TryEnter()
    {
        Interlocked.Increment(ref _inflight);
        if (Volatile.Read(ref _retired))
        {
            Exit();
            return false;
        }

        return true;
    }

    public void Exit()
    {
        if (Interlocked.Decrement(ref _inflight) == 0 && Volatile.Read(ref _retired))
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Stops new calls; the returned task completes when the calls in flight have exited.</summary>
    public Task RetireAsync()
    {
        Volatile.Write(ref _retired, true);
        if (Volatile.Read(ref _inflight) == 0)
        {
            _drained.TrySetResult();
        }

        return _drained.Task;
    }
}
