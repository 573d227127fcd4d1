using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli;

/// <summary>Turns an error answer (application/problem+json, or anything else) into one readable line per problem.</summary>
internal static class ProblemFormatter
{
    /// <param name="etag">The answer's <c>ETag</c>: on a 409 it marks a version conflict (docs/api.md), which a retry resolves.</param>
    public static IReadOnlyList<string> Format(HttpStatusCode status, string body, string? tokenSource, string? etag = null)
    {
        JsonObject? problem = null;
        try
        {
            problem = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // Not JSON (a reverse proxy's HTML page, say): fall back to the status line below.
        }

        var lines = new List<string>();
        if (problem?["errors"] is JsonArray errors)
        {
            foreach (var error in errors.OfType<JsonObject>())
            {
                var path = Text(error["path"]);
                var message = Text(error["message"]) ?? "invalid";
                lines.Add(string.IsNullOrEmpty(path) ? message : $"{path}: {message}");
            }
        }

        if (lines.Count == 0)
        {
            var detail = Text(problem?["detail"]) ?? Text(problem?["title"]) ?? $"HTTP {(int)status} {status}";
            lines.Add(detail);
        }

        if (status == HttpStatusCode.Unauthorized)
        {
            // One sentence that says what to fix; the broker's own detail names the header, which a CLI user never sees.
            return [tokenSource is null
                ? "the broker needs a token and none was sent"
                : $"the broker refused the token from {tokenSource}: it is not a valid token for this broker (wrong, revoked or expired)"];
        }

        if (status == HttpStatusCode.Conflict && etag is not null)
        {
            lines.Add($"the configuration was changed by someone else meanwhile (it is now at ETag {etag}); nothing was applied: retry");
        }

        return lines;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
}
