using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>The human-readable form of one catalog template (<c>catalog show ID</c>).</summary>
internal static class CatalogTemplateText
{
    public static void Write(JsonObject template)
    {
        var id = CliOutput.Text(template["id"]);
        CliOutput.WriteLine($"{id}: {CliOutput.Text(template["name"])}");
        if (template["description"] is { } description)
        {
            CliOutput.WriteLine(CliOutput.Text(description));
        }

        CliOutput.WriteLine(string.Empty);
        CliOutput.WriteTable(
            ["service", "host", "auth"],
            Items(template["services"]).Select(s => (IReadOnlyList<string>)[CliOutput.Text(s["name"]), CliOutput.Text(s["host"]), CliOutput.Text(s["auth"]?["type"])]).ToList(),
            "no services");
        CliOutput.WriteLine(string.Empty);
        CliOutput.WriteTable(
            ["credential", "description"],
            Items(template["credentials"]).Select(c => (IReadOnlyList<string>)[
                CliOutput.Text(c["key"]) + (c["optional"] is JsonValue v && v.TryGetValue<bool>(out var optional) && optional ? " (optional)" : string.Empty),
                CliOutput.Text(c["description"])]).ToList(),
            "no credentials");
        var parameters = Items(template["parameters"]).ToList();
        if (parameters.Count > 0)
        {
            CliOutput.WriteLine(string.Empty);
            CliOutput.WriteTable(
                ["parameter", "default", "description"],
                parameters.Select(p => (IReadOnlyList<string>)[CliOutput.Text(p["name"]), p["default"] is { } d ? CliOutput.Text(d) : "(required)", CliOutput.Text(p["description"])]).ToList(),
                string.Empty);
        }

        CliOutput.WriteLine(string.Empty);
        CliOutput.WriteTable(
            ["preset", "description"],
            (template["presets"] as JsonObject ?? []).Select(p => (IReadOnlyList<string>)[p.Key, CliOutput.Text(p.Value?["description"])]).ToList(),
            "no presets");
        if (template["no_read_only"] is { } reason)
        {
            CliOutput.WriteLine($"no read-only preset: {CliOutput.Text(reason)}");
        }

        CliOutput.WriteLine(string.Empty);
        CliOutput.WriteLine("checked against:");
        foreach (var url in (template["docs"] as JsonArray ?? []).Select(CliOutput.Text))
        {
            CliOutput.WriteLine("  " + url);
        }

        var credentialArgs = string.Concat(Items(template["credentials"]).Where(c => c["optional"] is null).Select(c => $" --credential {CliOutput.Text(c["key"])}=REF"));
        var parameterArgs = string.Concat(parameters.Where(p => p["default"] is null).Select(p => $" --param {CliOutput.Text(p["name"])}=VALUE"));
        CliOutput.WriteLine(string.Empty);
        CliOutput.WriteLine($"add it: agent-vault vault service add --vault VAULT --from-catalog {id}{credentialArgs}{parameterArgs}");
    }

    private static IEnumerable<JsonObject> Items(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>();
}
