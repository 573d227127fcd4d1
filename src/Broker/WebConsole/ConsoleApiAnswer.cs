using System.Net;
using System.Text.Json;

namespace AgentVault.Broker.WebConsole;

/// <summary>What the management API answered a console call: the status, the JSON body, and for a problem its detail.</summary>
internal sealed record ConsoleApiAnswer(HttpStatusCode Status, JsonElement? Body)
{
    public bool Ok => (int)Status is >= 200 and < 300;

    /// <summary>The configuration version the answer carries (<c>"42"</c>), for an <c>If-Match</c> of a later write; null when none.</summary>
    public string? ETag { get; init; }

    /// <summary>The problem's <c>detail</c> plus each validation error, for showing to the person; empty when the call succeeded.</summary>
    public string Problem
    {
        get
        {
            if (Ok)
            {
                return string.Empty;
            }

            if (Body is not { ValueKind: JsonValueKind.Object } body)
            {
                return $"The management API answered {(int)Status}.";
            }

            var detail = body.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : $"The management API answered {(int)Status}.";
            if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                detail += " " + string.Join("; ", errors.EnumerateArray().Select(e =>
                    (e.TryGetProperty("path", out var p) ? p.GetString() + ": " : string.Empty) + (e.TryGetProperty("message", out var m) ? m.GetString() : string.Empty)));
            }

            return detail ?? string.Empty;
        }
    }
}
