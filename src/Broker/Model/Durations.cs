using System.Globalization;

namespace AgentVault.Broker.Model;

/// <summary>Parses and formats durations as written in configuration: <c>500ms</c>, <c>30s</c>, <c>5m</c>, <c>1h</c>, <c>7d</c>, <c>0</c>.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text == "0")
        {
            return true;
        }

        var unitStart = 0;
        while (unitStart < text.Length && char.IsAsciiDigit(text[unitStart]))
        {
            unitStart++;
        }

        if (unitStart == 0 || !long.TryParse(text.AsSpan(0, unitStart), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return false;
        }

        long? ticksPerUnit = text[unitStart..] switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            "d" => TimeSpan.TicksPerDay,
            _ => null,
        };

        // Longer than TimeSpan holds is not a duration (it threw ArgumentOutOfRangeException: a 500 on apply; found by fuzzing, issue 16).
        if (ticksPerUnit is not { } unit || n > TimeSpan.MaxValue.Ticks / unit)
        {
            return false;
        }

        value = TimeSpan.FromTicks(n * unit);
        return true;
    }

    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a duration (use 500ms, 30s, 5m, 1h, 7d or 0)");

    // Integer division of ticks: TotalMilliseconds is a double, which rounded 233720854775807ms to ...806ms (found by fuzzing).
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0";
        }

        if (value.Ticks % TimeSpan.TicksPerDay == 0)
        {
            return $"{value.Ticks / TimeSpan.TicksPerDay}d";
        }

        if (value.Ticks % TimeSpan.TicksPerHour == 0)
        {
            return $"{value.Ticks / TimeSpan.TicksPerHour}h";
        }

        if (value.Ticks % TimeSpan.TicksPerMinute == 0)
        {
            return $"{value.Ticks / TimeSpan.TicksPerMinute}m";
        }

        return value.Ticks % TimeSpan.TicksPerSecond == 0 ? $"{value.Ticks / TimeSpan.TicksPerSecond}s" : $"{value.Ticks / TimeSpan.TicksPerMillisecond}ms";
    }
}
