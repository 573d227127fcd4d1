using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>store add | list | test | remove</c>: configured instances of secret-store plugin types.</summary>
internal static class StoreCommands
{
    public static Command Create() => new("store", "Manage secret stores (settings hold only references to secrets)")
    {
        CreateAdd(),
        CreateList(),
        CreateTest(),
        CreateRemove(),
    };

    private static Command CreateAdd()
    {
        var name = new Argument<string>("NAME") { Description = "Store name, used in references (NAME:path)" };
        var type = new Option<string>("--type") { Description = "Store type: file, hashicorp-vault, aws-secrets-manager, azure-key-vault, infisical, or a plugin's type", Required = true };
        var set = new Option<string[]>("--set") { Description = "Setting KEY=VALUE (repeatable; dotted keys nest: auth.method=approle)", HelpName = "KEY=VALUE" };
        var ttl = CliOptions.Duration("--ttl", "How long a resolved secret is cached (default 60s)");
        var maxStale = CliOptions.Duration("--max-stale", "How long a cached secret is served while the store fails (default 5m; 0 fails closed)");
        var json = CliOptions.Json();
        var command = new Command("add", "Add a store, or replace the settings of an existing one") { name, type, set, ttl, maxStale, json };
        command.SetAction(async (result, ct) =>
        {
            var body = new JsonObject
            {
                ["type"] = result.GetRequiredValue(type),
                ["settings"] = KeyValueArgs.ToObject(result.GetValue(set) ?? [], "--set"),
            };
            var cache = new JsonObject();
            if (result.GetValue(ttl) is { } ttlValue)
            {
                cache["ttl"] = ttlValue;
            }

            if (result.GetValue(maxStale) is { } maxStaleValue)
            {
                cache["max_stale"] = maxStaleValue;
            }

            if (cache.Count > 0)
            {
                body["cache"] = cache;
            }

            var storeName = result.GetRequiredValue(name);
            using var api = ApiClient.ForAdmin();
            var store = await api.SendAsync(HttpMethod.Put, $"v1/stores/{ApiClient.Escape(storeName)}", body, ct).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(store);
                return ExitCodes.Ok;
            }

            var status = CliOutput.Text(store?["status"]);
            var error = CliOutput.Text(store?["error"]);
            CliOutput.WriteLine($"store {storeName} saved (type {result.GetRequiredValue(type)}{(status.Length > 0 ? ", " + status : string.Empty)}{(error.Length > 0 ? ": " + error : string.Empty)})");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList()
    {
        var json = CliOptions.Json();
        var command = new Command("list", "List stores with their status") { json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var stores = CliOutput.Array(await api.GetAsync("v1/stores", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(stores);
                return ExitCodes.Ok;
            }

            var rows = stores.OfType<JsonObject>()
                .Select(s => (IReadOnlyList<string>)[CliOutput.Text(s["name"]), CliOutput.Text(s["type"]), CliOutput.Text(s["status"]), CliOutput.Text(s["error"])])
                .ToList();
            CliOutput.WriteTable(["name", "type", "status", "error"], rows, "no stores");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateTest()
    {
        var name = new Argument<string>("NAME") { Description = "Store name" };
        var json = CliOptions.Json();
        var command = new Command("test", "Check that the broker can reach and authenticate to a store") { name, json };
        command.SetAction(async (result, ct) =>
        {
            var storeName = result.GetRequiredValue(name);
            using var api = ApiClient.ForAdmin();
            var answer = CliOutput.Object(await api.SendAsync(HttpMethod.Post, $"v1/stores/{ApiClient.Escape(storeName)}/test", null, ct).ConfigureAwait(false));
            var ok = answer["ok"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(answer);
            }
            else if (ok)
            {
                CliOutput.WriteLine($"store {storeName}: ok");
            }
            else
            {
                await Console.Error.WriteLineAsync($"error: store {storeName}: {CliOutput.Text(answer["error"])}").ConfigureAwait(false);
            }

            return ok ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var name = new Argument<string>("NAME") { Description = "Store name" };
        var command = new Command("remove", "Remove a store (refused while a credential refers to it)") { name };
        command.SetAction(async (result, ct) =>
        {
            var storeName = result.GetRequiredValue(name);
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Delete, $"v1/stores/{ApiClient.Escape(storeName)}", null, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"store {storeName} removed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
