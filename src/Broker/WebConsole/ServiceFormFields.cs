using System.Text.Json.Nodes;

namespace AgentVault.Broker.WebConsole;

/// <summary>
/// The vault page's add-or-update service form: the common fields of a service (docs/configuration.md) turned into the body of
/// <c>PUT /v1/vaults/{v}/services</c>. Nothing is checked here: the API validates it like any other write.
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

    public JsonObject ToBody()
    {
        var type = Trimmed(AuthType) ?? "bearer";
        var auth = new JsonObject { ["type"] = type };
        var keySetting = Schemes.FirstOrDefault(s => s.Type == type).KeySetting;
        if (keySetting is not null && Trimmed(Key) is { } key)
        {
            auth[keySetting] = key;
        }

        if (type == "api-key" && Trimmed(Header) is { } header)
        {
            auth["header"] = header;
        }

        var service = new JsonObject { ["name"] = Trimmed(Name) ?? string.Empty, ["host"] = Trimmed(Host) ?? string.Empty, ["auth"] = auth };
        var allow = Lines(Allow);
        var deny = Lines(Deny);
        if (allow.Count + deny.Count > 0)
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
