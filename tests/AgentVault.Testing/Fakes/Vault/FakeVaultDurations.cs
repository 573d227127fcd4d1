using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentVault.Testing.Fakes.Vault;

/// <summary>Reads Vault duration parameters: an integer number of seconds, or a string like <c>90</c>, <c>90s</c>, <c>5m</c>, <c>1h</c>.</summary>
internal static class FakeVaultDurations
{
    public static TimeSpan? Parse(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.GetValueKind() == JsonValueKind.Number)
        {
            return TimeSpan.FromSeconds(value.GetValue<double>());
        }

        var text = value.ToString().Trim();
        if (text.Length == 0)
        {
            return null;
        }

        var unit = char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
        {
            return null;
        }

        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => null,
        };
    }
}
