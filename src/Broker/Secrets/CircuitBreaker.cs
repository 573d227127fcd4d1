namespace AgentVault.Broker.Secrets;

/// <summary>
/// Per-store breaker: after <c>threshold</c> consecutive unavailable errors the store is not called for a cool-down, then
/// exactly one probe is let through (half-open); its success closes the circuit, its failure opens it again.
/// </summary>
internal sealed class CircuitBreaker
{
    private readonly Lock _gate = new();
    private readonly int _threshold;
    private readonly TimeSpan _cooldown;
    private int _failures;
    private DateTimeOffset _openUntil;
    private bool _open;
    private bool _probing;

    public CircuitBreaker(int threshold, TimeSpan cooldown)
    {
        _threshold = Math.Max(1, threshold);
        _cooldown = cooldown;
    }

    /// <summary>The state as the next request would find it: an open circuit whose cool-down has ended, or whose probe is running, is half-open.</summary>
    public CircuitState State(DateTimeOffset now)
    {
        lock (_gate)
        {
            return !_open ? CircuitState.Closed : _probing || now >= _openUntil ? CircuitState.HalfOpen : CircuitState.Open;
        }
    }

    /// <summary>True when a call may go to the store; otherwise <paramref name="retryIn"/> says when the next probe may.</summary>
    public bool TryAcquire(DateTimeOffset now, out TimeSpan retryIn)
    {
        lock (_gate)
        {
            retryIn = TimeSpan.Zero;
            if (!_open)
            {
                return true;
            }

            if (now < _openUntil || _probing)
            {
                retryIn = _openUntil > now ? _openUntil - now : TimeSpan.Zero;
                return false;
            }

            _probing = true;
            return true;
        }
    }

    public void OnSuccess()
    {
        lock (_gate)
        {
            _failures = 0;
            _open = false;
            _probing = false;
        }
    }

    public void OnFailure(DateTimeOffset now)
    {
        lock (_gate)
        {
            _failures++;
            if (_probing || _failures >= _threshold)
            {
                _open = true;
                _probing = false;
                _openUntil = now + _cooldown;
            }
        }
    }
}
