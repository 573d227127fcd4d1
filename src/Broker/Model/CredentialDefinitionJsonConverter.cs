using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentVault.Broker.Model;

/// <summary>Reads a credential as <c>"store:path"</c> or <c>{ ref, ttl }</c>; writes the short form when there is no TTL.</summary>
internal sealed class CredentialDefinitionJsonConverter : JsonConverter<CredentialDefinition>
{
    public override CredentialDefinition? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new CredentialDefinition { Ref = reader.GetString()! };
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a credential is a reference string or an object with 'ref' and optional 'ttl'");
        }

        string? reference = null;
        string? ttl = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            var value = reader.TokenType == JsonTokenType.Null ? null : reader.TokenType == JsonTokenType.String ? reader.GetString() : throw new JsonException($"credential field '{name}' must be a string");
            switch (name)
            {
                case "ref": reference = value; break;
                case "ttl": ttl = value; break;
                default: throw new JsonException($"unknown credential field '{name}'");
            }
        }

        return new CredentialDefinition { Ref = reference ?? string.Empty, Ttl = ttl };
    }

    public override void Write(Utf8JsonWriter writer, CredentialDefinition value, JsonSerializerOptions options)
    {
        if (value.Ttl is null)
        {
            writer.WriteStringValue(value.Ref);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("ref", value.Ref);
        writer.WriteString("ttl", value.Ttl);
        writer.WriteEndObject();
    }
}
