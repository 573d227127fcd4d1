using AgentVault.Broker.Security;

namespace AgentVault.Broker.Tests.Management.Fakes;

/// <summary>Counts rotations and answers a new made-up token each time (the test host's verifier keeps its one token).</summary>
internal sealed class FakeAdminTokenRotator : IAdminTokenRotator
{
    private int _rotations;

    public int Rotations => Volatile.Read(ref _rotations);

    public Task<string> RotateAsync(CancellationToken cancellationToken) =>
        Task.FromResult($"ava_rotated-{Interlocked.Increment(ref _rotations)}");
}
