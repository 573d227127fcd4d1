using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentVault.Plugins.Jwt;

/// <summary>
/// Produces a compact JWS (RFC 7515 §7.1): base64url(header) '.' base64url(claims) '.' base64url(signature). Claim values may be
/// strings, integers, booleans, <see cref="DateTimeOffset"/> (written as a NumericDate, RFC 7519 §2), string lists or JSON nodes.
/// </summary>
public static class JwtSigner
{
    public static string Create(JwtSigningKey key, JwsAlgorithm algorithm, IReadOnlyDictionary<string, object?> claims, string? keyId = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(claims);
        var header = Encode(writer =>
        {
            writer.WriteString("alg", algorithm.ToString());
            if (!string.IsNullOrEmpty(keyId))
            {
                writer.WriteString("kid", keyId);
            }

            writer.WriteString("typ", "JWT");
        });
        var payload = Encode(writer =>
        {
            foreach (var (name, value) in claims)
            {
                writer.WritePropertyName(name);
                WriteValue(writer, name, value);
            }
        });
        var signingInput = header + "." + payload;
        var signature = key.Sign(Encoding.ASCII.GetBytes(signingInput), algorithm);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static string Encode(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    private static void WriteValue(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case DateTimeOffset time:
                writer.WriteNumberValue(time.ToUnixTimeSeconds());
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case IEnumerable<string> list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    writer.WriteStringValue(item);
                }

                writer.WriteEndArray();
                break;
            default:
                // The value is not shown: it may be a credential.
                throw new ArgumentException($"Claim '{name}' has an unsupported type {value.GetType().Name}.", nameof(value));
        }
    }
}
