namespace AgentVault.Plugins.OAuth2;

/// <summary>
/// The refresh tokens that descend from one stored refresh token at one token endpoint: the newest one the server rotated
/// to (memory only), and a gate so only one exchange of the chain runs at a time (a server that rotates treats a second use
/// of the same refresh token as a replay and may revoke the whole grant). <see cref="ToString"/> never shows a token.
/// </summary>
internal sealed class RefreshTokenChain : IDisposable
{
    private readonly Lock _lock = new();
    private string? _rotated;
    private DateTimeOffset? _rotatedAt;
    private bool _warned;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The refresh token the server issued last, or null while the stored one is still the current one.</summary>
    public string? Rotated
    {
        get
        {
            lock (_lock)
            {
                return _rotated;
            }
        }
    }

    /// <summary>When the server first rotated the stored refresh token (null when it never did).</summary>
    public DateTimeOffset? RotatedAt
    {
        get
        {
            lock (_lock)
            {
                return _rotatedAt;
            }
        }
    }

    /// <summary>Keeps a refresh token the server returned; true the first time the chain moves away from the stored token (warn then).</summary>
    public bool Rotate(string refreshToken, DateTimeOffset now)
    {
        lock (_lock)
        {
            _rotated = refreshToken;
            _rotatedAt ??= now;
            if (_warned)
            {
                return false;
            }

            _warned = true;
            return true;
        }
    }

    public void Dispose() => Gate.Dispose();

    public override string ToString() => $"RefreshTokenChain(rotated {(RotatedAt is { } at ? at.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "never")})";
}
