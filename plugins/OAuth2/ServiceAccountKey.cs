using System.Text.Json;
using AgentVault.Abstractions.Auth;

namespace AgentVault.Plugins.OAuth2;

/// <summary>
/// The key material of a <c>jwt-bearer</c> credential: a PEM private key, or a Google service-account JSON key file
/// (<c>private_key</c>, <c>client_email</c>, <c>token_uri</c>, <c>private_key_id</c>). Errors name the credential key and the
/// missing field, never content; <see cref="ToString"/> hides the key.
/// </summary>
internal sealed class ServiceAccountKey
{
    private ServiceAccountKey(string pem, string? clientEmail, string? tokenUri, string? keyId)
    {
        Pem = pem;
        ClientEmail = clientEmail;
        TokenUri = tokenUri;
        KeyId = keyId;
    }

    public string Pem { get; }

    /// <summary>The service account's e-mail (JSON key files): the default issuer.</summary>
    public string? ClientEmail { get; }

    /// <summary>The token endpoint named by the JSON key file: the default token URL and audience.</summary>
    public string? TokenUri { get; }

    /// <summary>The key's id (<c>private_key_id</c>), sent as the JWS <c>kid</c> so the server picks the right public key.</summary>
    public string? KeyId { get; }

    public static ServiceAccountKey Parse(string value, string credentialKey)
    {
        var trimmed = value.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] != '{')
        {
            return new ServiceAccountKey(value, null, null, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException ex)
        {
            // JsonException messages quote positions only, but the value is a private key: say nothing about its content.
            throw new AuthSchemeException($"Credential {credentialKey} starts like a JSON key file but is not valid JSON.", credentialKey, new FormatException(ex.GetType().Name));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AuthSchemeException($"Credential {credentialKey} is JSON but not an object.", credentialKey);
            }

            var type = String(root, "type");
            if (type is not null && type != "service_account")
            {
                throw new AuthSchemeException($"Credential {credentialKey} is a JSON key file of type '{(type.Length <= 40 ? type : "?")}', not 'service_account'.", credentialKey);
            }

            var pem = String(root, "private_key")
                ?? throw new AuthSchemeException($"Credential {credentialKey} is JSON without a 'private_key' field (expected a service-account key file).", credentialKey);
            return new ServiceAccountKey(pem, String(root, "client_email"), String(root, "token_uri"), String(root, "private_key_id"));
        }
    }

    public override string ToString() => $"ServiceAccountKey(issuer {ClientEmail ?? "(none)"})";

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;
}
