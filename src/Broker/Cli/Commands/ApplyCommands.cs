using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Broker.Documents;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>apply -f FILE [--prune]</c> and <c>export</c>: the whole configuration as one YAML document.</summary>
internal static class ApplyCommands
{
    public static Command CreateApply()
    {
        var file = new Option<string>("--file", "-f") { Description = "YAML configuration file ('-' reads stdin)", Required = true, HelpName = "FILE" };
        var prune = new Option<bool>("--prune") { Description = "Also delete stores, vaults, services, credentials, agents and notifications the file no longer names" };
        var ifMatch = new Option<string>("--if-match")
        {
            Description = "Apply only if the configuration is still at this version (the ETag export -o prints); otherwise fail with a conflict",
            HelpName = "ETAG",
        };
        var json = CliOptions.Json();
        var command = new Command("apply", "Apply a configuration file: create and update everything it names (idempotent)") { file, prune, ifMatch, json };
        command.SetAction((result, ct) => ApplyAsync(result.GetRequiredValue(file), result.GetValue(prune), result.GetValue(ifMatch), result.GetValue(json), ct));
        return command;
    }

    public static Command CreateExport()
    {
        var output = new Option<string>("--output", "-o") { Description = "Write to FILE instead of stdout", HelpName = "FILE" };
        var json = CliOptions.Json();
        var command = new Command("export", "Print the current configuration as YAML (no tokens, no secret values)") { output, json };
        command.SetAction((result, ct) => ExportAsync(result.GetValue(output), result.GetValue(json), ct));
        return command;
    }

    private static async Task<int> ApplyAsync(string file, bool prune, string? ifMatch, bool json, CancellationToken cancellationToken)
    {
        var document = CliDocuments.ReadFile(file);
        if (document is not JsonObject)
        {
            throw new CliException($"{file}: the configuration must be a mapping with stores:, vaults: and agents:");
        }

        using var api = ApiClient.ForAdmin();
        var answer = CliOutput.Object(await api.SendAsync(HttpMethod.Post, prune ? "v1/apply?prune=true" : "v1/apply", document, EntityTag(ifMatch), cancellationToken).ConfigureAwait(false));
        foreach (var warning in answer["warnings"] as JsonArray ?? [])
        {
            await Console.Error.WriteLineAsync("warning: " + CliOutput.Text(warning)).ConfigureAwait(false);
        }

        if (json)
        {
            CliOutput.WriteJson(answer);
            return ExitCodes.Ok;
        }

        var changes = 0;
        foreach (var kind in new[] { "created", "updated", "deleted" })
        {
            foreach (var item in answer[kind] as JsonArray ?? [])
            {
                CliOutput.WriteLine($"{kind,-8} {CliOutput.Text(item)}");
                changes++;
            }
        }

        if (changes == 0)
        {
            CliOutput.WriteLine("no changes");
        }

        foreach (var token in (answer["tokens"] as JsonArray ?? []).OfType<JsonObject>())
        {
            CliOutput.WriteLine($"token for agent {CliOutput.Text(token["agent"])}: {CliOutput.Text(token["token"])}");
        }

        if (answer["tokens"] is JsonArray { Count: > 0 })
        {
            await Console.Error.WriteLineAsync("note: agent tokens are shown only once; store them now (agent rotate NAME issues a new one)").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> ExportAsync(string? output, bool json, CancellationToken cancellationToken)
    {
        using var api = ApiClient.ForAdmin();
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/export");
        using var response = await api.SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var etag = response.Headers.ETag?.Tag;
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException)
        {
            throw new CliException($"the broker at {api.Display} answered GET /v1/export with something that is not JSON");
        }

        if (output is null)
        {
            if (json)
            {
                CliOutput.WriteJson(document);
            }
            else
            {
                Console.Out.Write(JsonToYaml.Write(document));
            }

            return ExitCodes.Ok;
        }

        var text = json ? document?.ToJsonString() + "\n" : JsonToYaml.Write(document);
        try
        {
            await File.WriteAllTextAsync(output, text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {output}: {e.Message}");
        }

        if (etag is not null)
        {
            // On stderr, so scripts reading stdout are unaffected: the version to pass to apply --if-match after editing the file.
            await Console.Error.WriteLineAsync($"wrote {output} at configuration version {etag} (apply --if-match '{etag}' refuses to apply it if the configuration changed since)").ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The entity tag to send: a bare version (<c>42</c>) is quoted, anything else is sent as written.</summary>
    private static string? EntityTag(string? ifMatch) =>
        ifMatch is { Length: > 0 } && ifMatch.All(char.IsAsciiDigit) ? $"\"{ifMatch}\"" : ifMatch;
}
