using System.CommandLine;
using System.Text.Json.Nodes;
using AgentVault.Broker.Documents;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>vault service set -f FILE | add | list | remove</c>: the upstream APIs of a vault.</summary>
internal static class VaultServiceCommands
{
    public static Command Create() => new("service", "Manage a vault's services (which hosts get which credential)")
    {
        CreateSet(),
        CreateAdd(),
        CreateList(),
        CreateRemove(),
    };

    private static Command CreateSet()
    {
        var file = new Option<string>("--file", "-f") { Description = "YAML file holding only 'services:' ('-' reads stdin)", Required = true, HelpName = "FILE" };
        var vault = CliOptions.Vault();
        var json = CliOptions.Json();
        var command = new Command("set", "Add or update the services listed in a file (by name; others are kept)") { file, vault, json };
        command.SetAction(async (result, ct) =>
        {
            var path = result.GetRequiredValue(file);
            if (CliDocuments.ReadFile(path) is not JsonObject document || document["services"] is not JsonArray || document.Count != 1)
            {
                throw new CliException($"{path}: expected a file with only a 'services:' list (use 'apply -f' for stores, vaults and agents)");
            }

            return await PutAsync(result.GetRequiredValue(vault), document, result.GetValue(json), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateAdd()
    {
        var vault = CliOptions.Vault();
        var name = new Option<string>("--name") { Description = "Service name (slug); with --from-catalog, another name for the template's service(s)" };
        var host = new Option<string[]>("--host")
        {
            Description = "Host pattern: api.example.com, *.example.com, optional :port and path glob; with --from-catalog, [SERVICE=]HOST replaces a template host",
            HelpName = "HOST",
        };
        var authType = new Option<string>("--auth-type") { Description = "bearer, basic, api-key, custom, passthrough, or a plugin scheme; required unless --from-catalog" };
        var auth = new Option<string[]>("--auth") { Description = "Auth setting KEY=VALUE (repeatable; e.g. token=GITHUB_TOKEN, header=x-api-key)", HelpName = "KEY=VALUE" };
        var rateLimit = new Option<string>("--rate-limit") { Description = "Request rate limit, e.g. 120/min" };
        var catalog = new CatalogAddOptions();
        var json = CliOptions.Json();
        var command = new Command("add", "Add or replace one service, or add the services of a catalog template (--from-catalog ID)")
        {
            vault, name, host, authType, auth, rateLimit, catalog.FromCatalog, catalog.Credential, catalog.Preset, catalog.Param, catalog.Key, catalog.Replace, json,
        };
        command.SetAction(async (result, ct) =>
        {
            if (result.GetValue(catalog.FromCatalog) is { } templateId)
            {
                if (result.GetValue(authType) is not null || result.GetValue(auth) is { Length: > 0 })
                {
                    throw new CliException("--from-catalog takes the auth settings from the template: leave out --auth-type and --auth", ExitCodes.Usage);
                }

                var request = catalog.Read(result, result.GetRequiredValue(vault), templateId, result.GetValue(name), result.GetValue(host) ?? [], result.GetValue(rateLimit), result.GetValue(json));
                return await VaultServiceFromCatalog.RunAsync(request, ct).ConfigureAwait(false);
            }

            catalog.RefuseWithoutTemplate(result);
            var hosts = result.GetValue(host) ?? [];
            if (result.GetValue(name) is not { } serviceName || hosts.Length != 1 || result.GetValue(authType) is not { } type)
            {
                throw new CliException("--name, one --host and --auth-type are required (or --from-catalog ID)", ExitCodes.Usage);
            }

            var authObject = new JsonObject { ["type"] = type };
            foreach (var (key, value) in KeyValueArgs.ToObject(result.GetValue(auth) ?? [], "--auth").ToList())
            {
                if (key == "type")
                {
                    throw new CliException("--auth type=… is not allowed; use --auth-type", ExitCodes.Usage);
                }

                authObject[key] = value?.DeepClone();
            }

            var service = new JsonObject
            {
                ["name"] = serviceName,
                ["host"] = hosts[0],
                ["auth"] = authObject,
            };
            if (result.GetValue(rateLimit) is { } rate)
            {
                service["rate_limit"] = rate;
            }

            return await PutAsync(result.GetRequiredValue(vault), new JsonObject { ["services"] = new JsonArray(service) }, result.GetValue(json), ct).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> PutAsync(string vault, JsonObject body, bool json, CancellationToken cancellationToken)
    {
        using var api = ApiClient.ForAdmin();
        var services = await api.SendAsync(HttpMethod.Put, $"v1/vaults/{ApiClient.Escape(vault)}/services", body, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            CliOutput.WriteJson(services);
            return ExitCodes.Ok;
        }

        foreach (var service in (body["services"] as JsonArray ?? []).OfType<JsonObject>())
        {
            CliOutput.WriteLine($"service {vault}/{CliOutput.Text(service["name"])} saved");
        }

        return ExitCodes.Ok;
    }

    private static Command CreateList()
    {
        var vault = CliOptions.Vault();
        var json = CliOptions.Json();
        var command = new Command("list", "List a vault's services") { vault, json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var services = CliOutput.Array(await api.GetAsync($"v1/vaults/{ApiClient.Escape(result.GetRequiredValue(vault))}/services", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(services);
                return ExitCodes.Ok;
            }

            var rows = services.OfType<JsonObject>()
                .Select(s => (IReadOnlyList<string>)[
                    CliOutput.Text(s["name"]),
                    CliOutput.Text(s["host"]),
                    CliOutput.Text(s["auth"]?["type"]),
                    s["enabled"] is JsonValue e && e.TryGetValue<bool>(out var enabled) && !enabled ? "no" : "yes"])
                .ToList();
            CliOutput.WriteTable(["name", "host", "auth", "enabled"], rows, "no services");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var name = new Argument<string>("NAME") { Description = "Service name" };
        var vault = CliOptions.Vault();
        var command = new Command("remove", "Remove a service from a vault") { name, vault };
        command.SetAction(async (result, ct) =>
        {
            var vaultName = result.GetRequiredValue(vault);
            var serviceName = result.GetRequiredValue(name);
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Delete, $"v1/vaults/{ApiClient.Escape(vaultName)}/services/{ApiClient.Escape(serviceName)}", null, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"service {vaultName}/{serviceName} removed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
