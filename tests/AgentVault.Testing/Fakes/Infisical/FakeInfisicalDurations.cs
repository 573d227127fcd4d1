using System.Globalization;

namespace AgentVault.Testing.Fakes.Infisical;

/// <summary>Reads Infisical TTL strings as the <c>ms</c> library does for the forms clients send: <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, or milliseconds.</summary>
internal static class FakeInfisicalDurations
{
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        var unitStart = text.Length;
        while (unitStart > 0 && char.IsAsciiLetter(text[unitStart - 1]))
        {
            unitStart--;
        }

        if (!double.TryParse(text[..unitStart], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return text[unitStart..] switch
        {
            "" or "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => null,
        };
    }
}
