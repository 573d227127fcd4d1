using System.Globalization;
using System.Threading.RateLimiting;

namespace AgentVault.Broker.Policy;

/// <summary>A rate written <c>N/s</c>, <c>N/min</c> or <c>N/h</c>: at most N requests per window, in a token bucket of N.</summary>
internal readonly record struct RateLimitSpec(int Count, TimeSpan Window)
{
    /// <summary>The partitioned limiters replenish every 100 ms; a shorter period would silently lower the rate.</summary>
    private static readonly TimeSpan MinPeriod = TimeSpan.FromMilliseconds(100);

    public static bool TryParse(string? text, out RateLimitSpec spec)
    {
        spec = default;
        var parts = text?.Trim().Split('/');
        if (parts is not { Length: 2 } || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            return false;
        }

        TimeSpan? window = parts[1] switch
        {
            "s" => TimeSpan.FromSeconds(1),
            "min" => TimeSpan.FromMinutes(1),
            "h" => TimeSpan.FromHours(1),
            _ => null,
        };
        if (window is null)
        {
            return false;
        }

        spec = new RateLimitSpec(count, window.Value);
        return true;
    }

    /// <summary>Token-bucket options refilling <see cref="Count"/> per <see cref="Window"/> smoothly, holding at most <paramref name="burst"/>.</summary>
    public TokenBucketRateLimiterOptions ToTokenBucket(int burst)
    {
        var perToken = Window / Count;
        var period = perToken < MinPeriod ? MinPeriod : perToken;
        var tokens = (int)Math.Max(1, Math.Round(Count * (period / Window)));
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(burst, 1),
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = false,
        };
    }

    public override string ToString() => Count.ToString(CultureInfo.InvariantCulture) + "/" + (Window.TotalSeconds switch
    {
        1 => "s",
        60 => "min",
        _ => "h",
    });
}
