using System.CommandLine;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>vault credential set | list | check | remove</c>: credential keys of a vault and the references they resolve.</summary>
internal static class VaultCredentialCommands
{
    public static Command Create() => new("credential", "Manage a vault's credentials (KEY → store reference)")
    {
        CreateSet(),
        CreateList(),
        CreateCheck(),
        CreateRemove(),
    };

    private static Command CreateSet()
    {
        var vault = CliOptions.Vault();
        var pairs = new Argument<string[]>("KEY=REF") { Description = "Credential key and reference, e.g. GITHUB_TOKEN=hcv:secret/data/github#token", Arity = ArgumentArity.OneOrMore };
        var ttl = CliOptions.Duration("--ttl", "Cache TTL for these credentials (overrides the store's)");
        var json = CliOptions.Json();
        var command = new Command("set", "Add or change credentials of a vault (merged with the existing ones)") { vault, pairs, ttl, json };
        command.SetAction(async (result, ct) =>
        {
            var vaultName = result.GetRequiredValue(vault);
            var ttlValue = result.GetValue(ttl);
            var body = new JsonObject();
            foreach (var pair in result.GetRequiredValue(pairs))
            {
                var (key, reference) = KeyValueArgs.Split(pair, "KEY=REF");
                body[key] = ttlValue is null ? JsonValue.Create(reference) : new JsonObject { ["ref"] = reference, ["ttl"] = ttlValue };
            }

            using var api = ApiClient.ForAdmin();
            var map = await api.SendAsync(HttpMethod.Put, $"v1/vaults/{ApiClient.Escape(vaultName)}/credentials", body, ct).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(map);
                return ExitCodes.Ok;
            }

            foreach (var (key, _) in body)
            {
                CliOutput.WriteLine($"credential {vaultName}/{key} saved");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList()
    {
        var vault = CliOptions.Vault();
        var json = CliOptions.Json();
        var command = new Command("list", "List a vault's credential keys and references (never values)") { vault, json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var map = CliOutput.Object(await api.GetAsync($"v1/vaults/{ApiClient.Escape(result.GetRequiredValue(vault))}/credentials", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(map);
                return ExitCodes.Ok;
            }

            var rows = map.Select(p => (IReadOnlyList<string>)(p.Value is JsonObject o
                    ? [p.Key, CliOutput.Text(o["ref"]), CliOutput.Text(o["ttl"])]
                    : [p.Key, CliOutput.Text(p.Value), string.Empty]))
                .ToList();
            CliOutput.WriteTable(["key", "reference", "ttl"], rows, "no credentials");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCheck()
    {
        var vault = CliOptions.Vault();
        var json = CliOptions.Json();
        var command = new Command("check", "Resolve every credential of a vault now and report ok or the error (never the value)") { vault, json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var results = CliOutput.Array(await api.SendAsync(HttpMethod.Post, $"v1/vaults/{ApiClient.Escape(result.GetRequiredValue(vault))}/credentials/check", null, ct).ConfigureAwait(false));
            var failed = results.OfType<JsonObject>().Count(r => !(r["ok"] is JsonValue v && v.TryGetValue<bool>(out var ok) && ok));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(results);
            }
            else
            {
                var rows = results.OfType<JsonObject>()
                    .Select(r => (IReadOnlyList<string>)[CliOutput.Text(r["key"]), r["ok"] is JsonValue v && v.TryGetValue<bool>(out var ok) && ok ? "ok" : "error: " + CliOutput.Text(r["error"])])
                    .ToList();
                CliOutput.WriteTable(["key", "result"], rows, "no credentials");
                foreach (var line in results.OfType<JsonObject>())
                {
                    foreach (var warning in (line["warnings"] as JsonArray ?? []).Select(CliOutput.Text))
                    {
                        CliOutput.WriteLine($"warning: {CliOutput.Text(line["key"])}: {warning}");
                    }
                }
            }

            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var vault = CliOptions.Vault();
        var key = new Argument<string>("KEY") { Description = "Credential key" };
        var command = new Command("remove", "Remove a credential from a vault") { key, vault };
        command.SetAction(async (result, ct) =>
        {
            var vaultName = result.GetRequiredValue(vault);
            var keyName = result.GetRequiredValue(key);
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Delete, $"v1/vaults/{ApiClient.Escape(vaultName)}/credentials/{ApiClient.Escape(keyName)}", null, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"credential {vaultName}/{keyName} removed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
