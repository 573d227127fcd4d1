using System.Collections.Concurrent;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Tests.Secrets;

/// <summary>A scriptable leasing store: values by path, scripted failures, an optional gate that holds reads, and call counters.</summary>
internal sealed class FakeSecretStore : ILeasingSecretStore
{
    private int _reads;
    private int _renewals;
    private int _disposals;

    public ConcurrentDictionary<string, Func<SecretValue>> Values { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, reads are answered by this instead of <see cref="Values"/>.</summary>
    public Func<SecretRequest, CancellationToken, Task<SecretValue>>? Reader { get; set; }

    /// <summary>When set, every read throws this (e.g. an Unavailable error to simulate an outage).</summary>
    public Func<SecretStoreException>? Failure { get; set; }

    /// <summary>When set, reads wait for it (to hold concurrent misses in flight).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public TimeSpan RenewTo { get; set; } = TimeSpan.FromSeconds(90);

    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    public ConcurrentQueue<string> Revoked { get; } = new();

    public int Reads => Volatile.Read(ref _reads);

    public int Renewals => Volatile.Read(ref _renewals);

    public int Disposals => Volatile.Read(ref _disposals);

    public void Set(string path, string value) => Values[path] = () => new SecretValue(value);

    public async Task<SecretValue> GetSecretAsync(SecretRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure is { } failure)
        {
            throw failure();
        }

        if (Reader is { } reader)
        {
            return await reader(request, cancellationToken);
        }

        return Values.TryGetValue(request.Path, out var make)
            ? make()
            : throw new SecretStoreException(SecretErrorCategory.NotFound, $"no secret at '{request.Path}'");
    }

    public Task TestAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<SecretLease> RenewLeaseAsync(SecretLease lease, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _renewals);
        return Task.FromResult(lease with { Duration = RenewTo, IssuedAt = Now() });
    }

    public Task RevokeLeaseAsync(SecretLease lease, CancellationToken cancellationToken)
    {
        Revoked.Enqueue(lease.Id);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Increment(ref _disposals);
        return ValueTask.CompletedTask;
    }
}
