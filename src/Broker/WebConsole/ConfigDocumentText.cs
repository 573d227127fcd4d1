using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Documents;

namespace AgentVault.Broker.WebConsole;

/// <summary>
/// The configuration page's text: a pasted document (YAML or JSON) read the way <c>agent-vault apply -f</c> reads a file, and the
/// export written the way <c>agent-vault export</c> writes it.
/// </summary>
internal static class ConfigDocumentText
{
    // Shown HTML-encoded in a <pre> or downloaded as a file, never put into a script: readable text beats \u escapes.
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The document as the JSON body of <c>POST /v1/apply</c>, or why it cannot be one.</summary>
    public static (JsonObject? Document, string? Error) Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, "Paste a configuration document (YAML or JSON) first.");
        }

        JsonNode node;
        try
        {
            // JSON is read as JSON so its numbers and types arrive as written; everything else as YAML, exactly like the CLI.
            node = text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) ?? new JsonObject() : YamlToJson.Parse(text, "the document");
        }
        catch (JsonException e)
        {
            return (null, "The document is not valid JSON: " + e.Message);
        }
        catch (DocumentFormatException e)
        {
            return (null, e.Message);
        }

        return node is JsonObject document
            ? (document, null)
            : (null, "The configuration must be a mapping with stores:, vaults: and agents:.");
    }

    public static string Write(JsonElement document, bool json) =>
        json
            ? JsonSerializer.Serialize(document, IndentedJson) + "\n"
            : JsonToYaml.Write(JsonNode.Parse(document.GetRawText()));
}
