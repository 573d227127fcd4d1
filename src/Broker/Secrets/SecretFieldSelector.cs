using System.Text.Json;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Broker.Secrets;

/// <summary>
/// Picks the text a credential uses out of a <see cref="SecretValue"/>: <c>#field</c> → <see cref="SecretValue.Fields"/>,
/// else a property of <see cref="SecretValue.Value"/> parsed as a JSON object; no field → the whole value, or the only field.
/// </summary>
internal static class SecretFieldSelector
{
    /// <summary>Returns the selected text, or null with an error message naming the field (never a value).</summary>
    public static string? Select(SecretValue secret, string? field, out string? error)
    {
        error = null;
        if (field is null)
        {
            if (secret.Value is not null)
            {
                return secret.Value;
            }

            if (secret.Fields.Count == 1)
            {
                foreach (var only in secret.Fields.Values)
                {
                    return only;
                }
            }

            error = secret.Fields.Count == 0
                ? "the secret is empty"
                : $"the secret has {secret.Fields.Count} fields; name one with '#field' (fields: {string.Join(", ", secret.Fields.Keys)})";
            return null;
        }

        if (secret.Fields.TryGetValue(field, out var fromFields))
        {
            return fromFields;
        }

        if (secret.Value is { } whole && TryReadJsonProperty(whole, field, out var fromJson))
        {
            return fromJson;
        }

        error = $"field '{field}' not found in the secret";
        return null;
    }

    private static bool TryReadJsonProperty(string json, string field, out string? value)
    {
        value = null;
        var trimmed = json.AsSpan().TrimStart();
        if (trimmed.Length == 0 || trimmed[0] != '{')
        {
            return false;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(field, out var prop))
            {
                return false;
            }

            value = prop.ValueKind switch
            {
                JsonValueKind.String => prop.GetString(),
                JsonValueKind.Number => prop.GetRawText(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => null,
            };
            return value is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
