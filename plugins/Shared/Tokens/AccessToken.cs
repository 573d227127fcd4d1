namespace AgentVault.Plugins.Tokens;

/// <summary>A minted access token with the time after which it is refreshed; <see cref="ToString"/> never shows the value.</summary>
public sealed class AccessToken
{
    public AccessToken(string value, DateTimeOffset expiresAt, DateTimeOffset refreshAt)
    {
        Value = value;
        ExpiresAt = expiresAt;
        RefreshAt = refreshAt;
    }

    public string Value { get; }

    public DateTimeOffset ExpiresAt { get; }

    public DateTimeOffset RefreshAt { get; }

    /// <summary>A token valid for <paramref name="lifetime"/> from <paramref name="now"/>, refreshed a minute (at most half its lifetime) early.</summary>
    public static AccessToken Create(string value, DateTimeOffset now, TimeSpan lifetime)
    {
        var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(60).Ticks, lifetime.Ticks / 2));
        return new AccessToken(value, now + lifetime, now + lifetime - margin);
    }

    public override string ToString() => $"AccessToken(expires {ExpiresAt:O})";
}
