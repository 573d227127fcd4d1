using System.Net;
using System.Text.Json.Nodes;

namespace AgentVault.Plugins.Infisical;

/// <summary>Status and parsed JSON body of one Infisical API call.</summary>
internal sealed record InfisicalResponse(HttpStatusCode Status, JsonObject? Body)
{
    private const int MaxMessageLength = 200;

    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The <c>message</c> Infisical returns on failure, shortened; empty when none.</summary>
    public string Message
    {
        get
        {
            var text = Body?["message"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
            return text.Length > MaxMessageLength ? text[..MaxMessageLength] + "…" : text;
        }
    }
}
