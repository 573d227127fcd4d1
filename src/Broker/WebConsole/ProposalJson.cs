using System.Text.Json;

namespace AgentVault.Broker.WebConsole;

/// <summary>Reads proposals (<c>GET /v1/proposals</c>, <c>/v1/proposals/{id}</c>) for the console's pages.</summary>
internal static class ProposalJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonElement? Review(JsonElement proposal) =>
        proposal.TryGetProperty("review", out var review) && review.ValueKind == JsonValueKind.Object ? review : null;

    public static List<JsonElement> Warnings(JsonElement proposal) =>
        Review(proposal) is { } review && review.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array
            ? [.. warnings.EnumerateArray()]
            : [];

    public static List<string> Hosts(JsonElement proposal) =>
        proposal.TryGetProperty("services", out var services) && services.ValueKind == JsonValueKind.Array
            ? [.. services.EnumerateArray().Select(s => PageJson.Text(s, "host"))]
            : [];

    /// <summary>The proposal's <c>services</c> as indented JSON: everything a person approves, not only what the review lines name.</summary>
    public static string Services(JsonElement proposal) =>
        proposal.TryGetProperty("services", out var services) ? JsonSerializer.Serialize(services, Indented) : "[]";

    public static string StatusClass(string status) => status switch
    {
        "approved" => "ok",
        "pending" => "pending",
        _ => "refused",
    };
}
