using System.Globalization;
using System.Text.Json;

namespace AgentVault.Broker.WebConsole;

/// <summary>
/// Reads what the agent and token pages show beyond <see cref="PageJson"/>'s text and lists: flags, counts and times
/// (absent or mistyped fields read as false, 0 or null).
/// </summary>
internal static class TokenJson
{
    public static bool Flag(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    public static int Number(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;

    public static DateTimeOffset? Time(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String &&
        DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time
            : null;

    /// <summary>A time as people read it on the page (UTC, to the second).</summary>
    public static string Show(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A time for the <c>datetime</c> attribute of <c>&lt;time&gt;</c>.</summary>
    public static string Machine(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
