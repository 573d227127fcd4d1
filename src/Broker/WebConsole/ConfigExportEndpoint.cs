namespace AgentVault.Broker.WebConsole;

/// <summary>
/// <c>GET /ui/config/export[?format=json]</c>: the configuration (<c>GET /v1/export</c>, references only, never a value) as a
/// YAML (default) or JSON file download. Under <c>/ui</c>, so the console gate admits only a signed-in session.
/// </summary>
internal static class ConfigExportEndpoint
{
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/ui/config/export", ExportAsync);
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(HttpContext context, string? format, CancellationToken cancellationToken)
    {
        var json = string.Equals(format, "json", StringComparison.OrdinalIgnoreCase);
        var answer = await ConsoleApi.For(context).GetAsync("/v1/export", cancellationToken);
        if (!answer.Ok || answer.Body is not { } document)
        {
            return Results.Problem(answer.Problem, statusCode: answer.Ok ? StatusCodes.Status502BadGateway : (int)answer.Status);
        }

        var text = ConfigDocumentText.Write(document, json);
        return json
            ? Results.File(System.Text.Encoding.UTF8.GetBytes(text), "application/json; charset=utf-8", "agent-vault.json")
            : Results.File(System.Text.Encoding.UTF8.GetBytes(text), "application/yaml; charset=utf-8", "agent-vault.yaml");
    }
}
