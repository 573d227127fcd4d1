using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;

namespace AgentVault.Fuzz;

/// <summary>Durations (<c>30s</c>, <c>7d</c>: TTLs, cache and lease times) and rate specs (<c>10/s</c>) from configuration.</summary>
internal static class LimitTargets
{
    /// <summary>A duration that parses is not negative and formats to text that parses back to it; one that does not gets a FormatException from Parse.</summary>
    public static void Duration(byte[] data)
    {
        var text = FuzzInput.Text(data);
        if (!Durations.TryParse(text, out var value))
        {
            try
            {
                Durations.Parse(text);
                throw new FuzzInvariantException("Parse accepted what TryParse refused");
            }
            catch (FormatException)
            {
                return;
            }
        }

        FuzzInvariantException.Check(value >= TimeSpan.Zero, "negative duration");
        FuzzInvariantException.Check(Durations.TryParse(Durations.Format(value), out var again) && again == value, "formatted duration does not parse back");
    }

    /// <summary>A rate that parses prints as text that parses back to it and makes valid token-bucket options.</summary>
    public static void RateLimit(byte[] data)
    {
        if (!RateLimitSpec.TryParse(FuzzInput.Text(data), out var spec))
        {
            return;
        }

        FuzzInvariantException.Check(spec.Count >= 1, "a rate below 1 was accepted");
        FuzzInvariantException.Check(RateLimitSpec.TryParse(spec.ToString(), out var again) && again == spec, "formatted rate does not parse back");
        foreach (var burst in new[] { 1, spec.Count })
        {
            var options = spec.ToTokenBucket(burst);
            FuzzInvariantException.Check(options.TokensPerPeriod >= 1 && options.ReplenishmentPeriod > TimeSpan.Zero, "invalid token bucket");
        }
    }
}
