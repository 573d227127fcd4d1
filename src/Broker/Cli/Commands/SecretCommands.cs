using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>secret set STORE:NAME | list STORE | remove STORE:NAME</c>: values of a writable store (the built-in file store).</summary>
internal static class SecretCommands
{
    public static Command Create() => new("secret", "Manage secrets of a writable store (the file store, e.g. 'local' with --dev)")
    {
        CreateSet(),
        CreateList(),
        CreateRemove(),
    };

    /// <summary>Reads a secret: all of stdin when it is redirected (one trailing newline removed), else a hidden prompt.</summary>
    internal static string ReadValue(string reference)
    {
        string value;
        if (Console.IsInputRedirected)
        {
            value = Console.In.ReadToEnd();
            if (value.EndsWith("\r\n", StringComparison.Ordinal))
            {
                value = value[..^2];
            }
            else if (value.EndsWith('\n'))
            {
                value = value[..^1];
            }
        }
        else
        {
            Console.Error.Write($"value for {reference} (input hidden): ");
            var builder = new StringBuilder();
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    builder.Length = Math.Max(0, builder.Length - 1);
                    continue;
                }

                builder.Append(key.KeyChar);
            }

            Console.Error.WriteLine();
            value = builder.ToString();
        }

        return value.Length == 0 ? throw new CliException($"no value given for {reference} (pipe it on stdin)") : value;
    }

    private static (string Store, string Name) SplitReference(string reference)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == reference.Length - 1)
        {
            throw new CliException($"expected STORE:NAME (e.g. local:openai), got '{reference}'", ExitCodes.Usage);
        }

        return (reference[..colon], reference[(colon + 1)..]);
    }

    private static Command CreateSet()
    {
        var reference = new Argument<string>("STORE:NAME") { Description = "Where to write, e.g. local:openai" };
        var command = new Command("set", "Write a secret; the value is read from stdin (never from the command line)") { reference };
        command.SetAction(async (result, ct) =>
        {
            var text = result.GetRequiredValue(reference);
            var (store, name) = SplitReference(text);
            var body = new JsonObject { ["value"] = ReadValue(text) };
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Put, $"v1/stores/{ApiClient.Escape(store)}/secrets/{ApiClient.Escape(name)}", body, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"secret {store}:{name} saved");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateList()
    {
        var store = new Argument<string>("STORE") { Description = "Store name, e.g. local" };
        var json = CliOptions.Json();
        var command = new Command("list", "List the secret names of a writable store (never values)") { store, json };
        command.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.ForAdmin();
            var answer = CliOutput.Object(await api.GetAsync($"v1/stores/{ApiClient.Escape(result.GetRequiredValue(store))}/secrets", ct).ConfigureAwait(false));
            if (result.GetValue(json))
            {
                CliOutput.WriteJson(answer);
                return ExitCodes.Ok;
            }

            var names = (answer["names"] as JsonArray ?? []).Select(CliOutput.Text).ToList();
            if (names.Count == 0)
            {
                CliOutput.WriteLine("no secrets");
            }

            names.ForEach(CliOutput.WriteLine);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateRemove()
    {
        var reference = new Argument<string>("STORE:NAME") { Description = "The secret to delete, e.g. local:openai" };
        var command = new Command("remove", "Delete a secret from a writable store") { reference };
        command.SetAction(async (result, ct) =>
        {
            var (store, name) = SplitReference(result.GetRequiredValue(reference));
            using var api = ApiClient.ForAdmin();
            await api.SendAsync(HttpMethod.Delete, $"v1/stores/{ApiClient.Escape(store)}/secrets/{ApiClient.Escape(name)}", null, ct).ConfigureAwait(false);
            CliOutput.WriteLine($"secret {store}:{name} removed");
            return ExitCodes.Ok;
        });
        return command;
    }
}
