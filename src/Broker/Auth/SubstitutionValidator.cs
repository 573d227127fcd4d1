using AgentVault.Abstractions.Plugins;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Auth;

/// <summary>Checks a service's <c>substitutions</c> and reports every problem (paths like <c>substitutions[0].placeholder</c>).</summary>
internal static class SubstitutionValidator
{
    public const int MinPlaceholderLength = 4;
    public const int MaxPlaceholderLength = 128;

    public static void Validate(IReadOnlyList<SubstitutionDefinition>? definitions, SettingsValidation validation)
    {
        if (definitions is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definitions.Count; i++)
        {
            var path = $"substitutions[{i}]";
            var definition = definitions[i];
            CredentialKeys.Check(definition.Key, path + ".key", validation, required: true);
            if (!IsValidPlaceholder(definition.Placeholder))
            {
                validation.Add(path + ".placeholder",
                    $"must be {MinPlaceholderLength}–{MaxPlaceholderLength} characters of A–Z, a–z, 0–9, '-', '.', '_' or '~' (e.g. __tg_token__)");
            }
            else if (!seen.Add(definition.Placeholder))
            {
                validation.Add(path + ".placeholder", "is used by another substitution of this service");
            }

            if (definition.In is { Count: 0 })
            {
                validation.Add(path + ".in", "must name at least one of path, query, header, body, websocket (omit it for path and query)");
            }

            foreach (var surface in definition.In ?? [])
            {
                if (ParseSurface(surface) == SubstitutionSurfaces.None)
                {
                    validation.Add(path + ".in", $"'{surface}' is not one of path, query, header, body, websocket");
                }
            }
        }
    }

    public static SubstitutionSurfaces ParseSurface(string? name) => name?.ToLowerInvariant() switch
    {
        "path" => SubstitutionSurfaces.Path,
        "query" => SubstitutionSurfaces.Query,
        "header" or "headers" => SubstitutionSurfaces.Header,
        "body" => SubstitutionSurfaces.Body,
        "websocket" => SubstitutionSurfaces.WebSocket,
        _ => SubstitutionSurfaces.None,
    };

    public static bool IsValidPlaceholder(string? placeholder)
    {
        if (placeholder is null || placeholder.Length is < MinPlaceholderLength or > MaxPlaceholderLength)
        {
            return false;
        }

        foreach (var c in placeholder)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '.' or '_' or '~'))
            {
                return false;
            }
        }

        return true;
    }
}
