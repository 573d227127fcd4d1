using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.WebConsole;

/// <summary>
/// The vault page's add-or-update service form: the common fields of a service (docs/configuration.md) turned into the body of
/// <c>PUT /v1/vaults/{v}/services</c>. Updating a service keeps what the form does not show (substitutions, redaction,
/// <c>allow_http</c>, approve rules, other settings of the same auth scheme): the form's fields replace only their own. Nothing is checked
/// here: the API validates it like any other write.
/// </summary>
internal sealed record ServiceFormFields(string? Name, string? Host, string? AuthType, string? Key, string? Header, string? Allow, string? Deny, string? RateLimit, bool Disabled)
{
    /// <summary>The schemes the form offers, with the setting that names the credential key (null: none).</summary>
    public static IReadOnlyList<(string Type, string? KeySetting)> Schemes { get; } =
    [
        ("bearer", "token"),
        ("api-key", "key"),
        ("basic", "username"),
        ("passthrough", null),
    ];

    /// <summary>The body for the API; <paramref name="existing"/> is the service of the same name as it is now, if any.</summary>
    public JsonObject ToBody(JsonElement? existing = null)
    {
        var type = Trimmed(AuthType) ?? "bearer";
        var before = existing is { ValueKind: JsonValueKind.Object } e ? JsonNode.Parse(e.GetRawText())!.AsObject() : null;
        var auth = before?["auth"] is JsonObject kept && kept["type"]?.GetValue<string>() == type
            ? (JsonObject)kept.DeepClone()
            : new JsonObject { ["type"] = type };
        var keySetting = Schemes.FirstOrDefault(s => s.Type == type).KeySetting;
        if (keySetting is not null && Trimmed(Key) is { } key)
        {
            auth[keySetting] = key;
        }

        if (type == "api-key" && Trimmed(Header) is { } header)
        {
            auth["header"] = header;
        }

        var service = before ?? new JsonObject();
        service["name"] = Trimmed(Name) ?? string.Empty;
        service["host"] = Trimmed(Host) ?? string.Empty;
        service["auth"] = auth;
        // The form shows allow and deny only: approve rules (docs/approvals.md) are kept as they are.
        var approve = service["rules"]?["approve"]?.DeepClone();
        service.Remove("rules");
        service.Remove("rate_limit");
        service.Remove("enabled");
        var allow = Lines(Allow);
        var deny = Lines(Deny);
        if (allow.Count + deny.Count > 0 || approve is not null)
        {
            var rules = new JsonObject();
            if (allow.Count > 0)
            {
                rules["allow"] = new JsonArray([.. allow.Select(a => JsonValue.Create(a))]);
            }

            if (deny.Count > 0)
            {
                rules["deny"] = new JsonArray([.. deny.Select(d => JsonValue.Create(d))]);
            }

            if (approve is not null)
            {
                rules["approve"] = approve;
            }

            service["rules"] = rules;
        }

        if (Trimmed(RateLimit) is { } rate)
        {
            service["rate_limit"] = rate;
        }

        if (Disabled)
        {
            service["enabled"] = false;
        }

        return new JsonObject { ["services"] = new JsonArray(service) };
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static List<string> Lines(string? text) =>
        [.. (text ?? string.Empty).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
}
