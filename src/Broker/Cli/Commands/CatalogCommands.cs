using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>catalog list | show ID</c>: the broker's service catalog (docs/catalog.md), read through <c>GET /v1/catalog</c> with the
/// admin token, or with <c>AGENT_VAULT_TOKEN</c> when no admin token is set (agents browse it too).
/// </summary>
internal static class CatalogCommands
{
    public static Command Create() => new("catalog", "Browse the service catalog: ready-made services for common APIs")
    {
        CreateList(),
        CreateShow(),
    };

    private static Command CreateList()
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List the catalog's templates") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = CreateClient();
            var answer = CliOutput.Object(await api.GetAsync("v1/catalog", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(answer);
                return ExitCodes.Ok;
            }

            var rows = (answer["items"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(t => (IReadOnlyList<string>)[
                    CliOutput.Text(t["id"]),
                    CliOutput.Text(t["auth"]),
                    CliOutput.Text(new JsonArray((t["presets"] as JsonObject ?? []).Select(p => (JsonNode?)p.Key).ToArray())),
                    CliOutput.Text(t["hosts"]),
                    CliOutput.Text(t["name"])])
                .ToList();
            CliOutput.WriteTable(["id", "auth", "presets", "hosts", "name"], rows, "the catalog is empty");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("ID") { Description = "Template id, e.g. github" };
        var json = CliOptions.Json();
        var command = new Command("show", "Show one template: services, credentials, parameters, presets and documentation") { id, json };
        command.SetAction(async (result, ct) =>
        {
            var templateId = result.GetRequiredValue(id);
            using var api = CreateClient();
            var template = CliOutput.Object(await api.GetAsync($"v1/catalog/{ApiClient.Escape(templateId)}", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(template);
            }
            else
            {
                CatalogTemplateText.Write(template);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static ApiClient CreateClient()
    {
        if (Environment.GetEnvironmentVariable(CliEnvironment.AdminTokenVariable) is { Length: > 0 })
        {
            return ApiClient.ForAdmin();
        }

        return CliEnvironment.AgentToken() is { } agentToken
            ? ApiClient.WithToken(agentToken, CliEnvironment.AgentTokenVariable)
            : ApiClient.ForAdmin();
    }
}
