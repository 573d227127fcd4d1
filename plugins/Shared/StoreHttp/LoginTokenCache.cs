namespace AgentVault.Plugins.StoreHttp;

/// <summary>
/// Holds a store plugin's login token. A fresh token is returned without locking; past two thirds of its lifetime one
/// caller at a time renews it (when renewable and not expired) or logs in again, and the others reuse the result.
/// </summary>
public sealed class LoginTokenCache : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, Task<LoginToken>> _login;
    private readonly Func<LoginToken, CancellationToken, Task<LoginToken?>> _renew;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LoginToken? _current;

    /// <param name="renew">Returns the renewed token, or null when renewal was refused (a new login follows).</param>
    public LoginTokenCache(TimeProvider time, Func<CancellationToken, Task<LoginToken>> login, Func<LoginToken, CancellationToken, Task<LoginToken?>> renew)
    {
        _time = time;
        _login = login;
        _renew = renew;
    }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && _time.GetUtcNow() < current.RefreshAfter)
        {
            return current.Value;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            current = _current;
            var now = _time.GetUtcNow();
            if (current is not null && now < current.RefreshAfter)
            {
                return current.Value;
            }

            if (current is not null && current.Renewable && now < current.ExpiresAt && await _renew(current, cancellationToken) is { } renewed)
            {
                Volatile.Write(ref _current, renewed);
                return renewed.Value;
            }

            var fresh = await _login(cancellationToken);
            Volatile.Write(ref _current, fresh);
            return fresh.Value;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Logs in now whatever the cached token's state (for <c>store test</c>).</summary>
    public async Task LoginNowAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Volatile.Write(ref _current, await _login(cancellationToken));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets <paramref name="token"/> after the server refused it; true when it was the cached one.</summary>
    public bool Invalidate(string token)
    {
        var current = Volatile.Read(ref _current);
        return current is not null
            && string.Equals(current.Value, token, StringComparison.Ordinal)
            && ReferenceEquals(Interlocked.CompareExchange(ref _current, null, current), current);
    }

    public void Dispose() => _gate.Dispose();
}
