using System.Text.Json;

namespace AgentVault.Broker.WebConsole;

/// <summary>Reads the fields a page shows from the management API's JSON (missing or mistyped fields read as empty).</summary>
internal static class PageJson
{
    public static string Text(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) ? Scalar(value) : string.Empty;

    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        _ => string.Empty,
    };

    public static List<JsonElement> Items(ConsoleApiAnswer answer) =>
        answer.Ok && answer.Body is { ValueKind: JsonValueKind.Array } body ? [.. body.EnumerateArray()] : [];

    /// <summary>The <c>items</c> of a list answer (<c>{ "items": [ … ] }</c>: proposals, approvals, the catalog); empty when the call failed.</summary>
    public static List<JsonElement> ListItems(ConsoleApiAnswer answer) =>
        answer.Ok && answer.Body is { ValueKind: JsonValueKind.Object } body && body.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? [.. items.EnumerateArray()]
            : [];

    public static List<string> Strings(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Select(Scalar)]
            : [];

    /// <summary>An API time as the console shows it, <c>yyyy-MM-dd HH:mm:ss</c> in UTC (the text itself when it is not a time).</summary>
    public static string Time(string text) =>
        DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)
            : text;

    /// <summary>A path segment for the API (<c>/v1/vaults/{name}</c>), escaped so a typed name cannot leave its segment.</summary>
    public static string Segment(string? name) => Uri.EscapeDataString(name ?? string.Empty);
}
