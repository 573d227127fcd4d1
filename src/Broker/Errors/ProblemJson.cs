using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentVault.Broker.Errors;

/// <summary>
/// How problem+json bodies are written: readable text (<c>Vault 'dev'</c>, not <c>Vault \u0027dev\u0027</c>). The default
/// encoder escapes HTML-sensitive characters for JSON embedded in HTML; a problem body is never HTML (it is served as
/// <c>application/problem+json</c>), and quotes, backslashes and control characters are still escaped.
/// </summary>
internal static class ProblemJson
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
