using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Catalog;
using AgentVault.Broker.Model;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>vault service add --from-catalog ID</c>: reads the template from the broker (<c>GET /v1/catalog/{id}</c>), expands it
/// with <see cref="ServiceCatalog.Expand"/>, and writes the credentials (if given) and then the services through the
/// management API. Both writes carry <c>If-Match</c> of the version the checks were made on, so a concurrent change makes
/// them fail with 409 instead of mixing with it. An existing service of the same name is a conflict unless <c>--replace</c>.
/// </summary>
internal static class VaultServiceFromCatalog
{
    public static async Task<int> RunAsync(CatalogAddRequest request, CancellationToken cancellationToken)
    {
        using var api = ApiClient.ForAdmin();
        var template = ReadTemplate(await api.GetAsync($"v1/catalog/{ApiClient.Escape(request.TemplateId)}", cancellationToken).ConfigureAwait(false));
        var vaultPath = $"v1/vaults/{ApiClient.Escape(request.Vault)}";
        // Every check below is made on what these reads saw; the writes carry the first read's version as If-Match.
        var (existing, etag) = await SendAsync(api, HttpMethod.Get, vaultPath + "/credentials", null, null, cancellationToken).ConfigureAwait(false);
        var existingKeys = (existing as JsonObject ?? []).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        var expansion = Expand(template, request, existingKeys);
        CheckCredentials(template, request, expansion, existingKeys);

        var (services, _) = await SendAsync(api, HttpMethod.Get, vaultPath + "/services", null, null, cancellationToken).ConfigureAwait(false);
        var taken = (services as JsonArray ?? []).OfType<JsonObject>().Select(s => CliOutput.Text(s["name"])).ToHashSet(StringComparer.Ordinal);
        var clashes = expansion.Services.Select(s => s.Name).Where(taken.Contains).ToList();
        if (clashes.Count > 0 && !request.Replace)
        {
            var detail = $"vault '{request.Vault}' already has a service named {string.Join(", ", clashes.Select(c => $"'{c}'"))}; remove it first or pass --replace";
            throw new CliException(ProblemFormatter.Format(HttpStatusCode.Conflict, new JsonObject { ["detail"] = detail, ["code"] = "conflict" }.ToJsonString(), null));
        }

        if (request.Credentials.Count > 0)
        {
            var body = new JsonObject(request.Credentials.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value))));
            (_, etag) = await SendAsync(api, HttpMethod.Put, vaultPath + "/credentials", body, etag, cancellationToken).ConfigureAwait(false);
        }

        var list = new JsonArray(expansion.Services.Select(s => WithRateLimit(s, request.RateLimit)).ToArray());
        var (saved, _) = await SendAsync(api, HttpMethod.Put, vaultPath + "/services", new JsonObject { ["services"] = list }, etag, cancellationToken).ConfigureAwait(false);
        if (request.Json)
        {
            CliOutput.WriteJson(saved);
            return ExitCodes.Ok;
        }

        foreach (var key in request.Credentials.Keys)
        {
            CliOutput.WriteLine($"credential {request.Vault}/{key} saved");
        }

        foreach (var service in expansion.Services)
        {
            CliOutput.WriteLine($"service {request.Vault}/{service.Name} saved (catalog {template.Id}{(request.Preset is null ? string.Empty : ", preset " + request.Preset)}, host {service.Host})");
        }

        return ExitCodes.Ok;
    }

    private static CatalogTemplate ReadTemplate(JsonNode? answer)
    {
        // hosts and auth are summaries the API adds for people; the template itself is the rest.
        var copy = CliOutput.Object(answer).DeepClone().AsObject();
        copy.Remove("hosts");
        copy.Remove("auth");
        try
        {
            return copy.Deserialize<CatalogTemplate>(ModelJson.Options) ?? throw new CliException("the broker answered with an empty template");
        }
        catch (JsonException e)
        {
            throw new CliException($"the broker's template cannot be read by this version of the CLI ({e.Message})");
        }
    }

    private static CatalogExpansion Expand(CatalogTemplate template, CatalogAddRequest request, HashSet<string> existingKeys)
    {
        string FinalKey(string key) => request.Keys.GetValueOrDefault(key, key);
        var optional = template.Credentials
            .Where(c => c.Optional == true && (request.Credentials.ContainsKey(FinalKey(c.Key)) || existingKeys.Contains(FinalKey(c.Key))))
            .Select(c => c.Key)
            .ToHashSet(StringComparer.Ordinal);
        try
        {
            return ServiceCatalog.Expand(template, new CatalogExpandOptions
            {
                Name = request.Name,
                Preset = request.Preset,
                Keys = request.Keys,
                Parameters = request.Parameters,
                Hosts = request.Hosts,
                OptionalKeys = optional,
            });
        }
        catch (CatalogException e)
        {
            throw new CliException(e.Message, ExitCodes.Usage);
        }
    }

    private static void CheckCredentials(CatalogTemplate template, CatalogAddRequest request, CatalogExpansion expansion, HashSet<string> existingKeys)
    {
        var known = expansion.Credentials.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in request.Credentials.Keys.Where(k => !known.Contains(k)))
        {
            throw new CliException($"--credential {key}: template '{template.Id}' uses {string.Join(", ", known)} (rename one with --key TEMPLATE_KEY={key})", ExitCodes.Usage);
        }

        var missing = expansion.Credentials
            .Where(c => c.Optional != true && !request.Credentials.ContainsKey(c.Key) && !existingKeys.Contains(c.Key))
            .Select(c => $"{c.Key} ({c.Description})")
            .ToList();
        if (missing.Count > 0)
        {
            throw new CliException(
                [$"vault '{request.Vault}' has no credential {string.Join(", ", missing)}", "pass --credential KEY=REF, or set it first with 'agent-vault vault credential set'; nothing was changed"]);
        }
    }

    private static JsonNode WithRateLimit(ServiceDefinition service, string? rateLimit) =>
        JsonSerializer.SerializeToNode(rateLimit is null ? service : service with { RateLimit = rateLimit }, ModelJson.Options)!;

    /// <summary>Sends JSON and returns the answer with its <c>ETag</c> (the configuration version it left or was read at).</summary>
    private static async Task<(JsonNode? Body, string? ETag)> SendAsync(ApiClient api, HttpMethod method, string path, JsonNode? body, string? ifMatch, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, path);
        if (ifMatch is not null)
        {
            message.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            message.Content = new StringContent(body.ToJsonString(ModelJson.Options), Encoding.UTF8, "application/json");
        }

        using var response = await api.SendRawAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return (text.Length == 0 ? null : JsonNode.Parse(text), response.Headers.ETag?.Tag);
        }
        catch (JsonException)
        {
            throw new CliException($"the broker at {api.Display} answered {method} /{path} with something that is not JSON");
        }
    }
}
