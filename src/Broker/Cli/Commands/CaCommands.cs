using System.CommandLine;

namespace AgentVault.Broker.Cli.Commands;

/// <summary><c>ca fetch [-o FILE]</c>: the broker's CA certificate, which agents must trust.</summary>
internal static class CaCommands
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Write the PEM to FILE instead of stdout", HelpName = "FILE" };
        var fetch = new Command("fetch", "Download the broker's CA certificate (PEM)") { output };
        fetch.SetAction(async (result, ct) =>
        {
            using var api = ApiClient.Anonymous();
            var pem = await api.GetTextAsync("v1/ca.pem", ct).ConfigureAwait(false);
            if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                throw new CliException($"the broker at {api.Display} did not return a PEM certificate");
            }

            if (result.GetValue(output) is not { } path)
            {
                Console.Out.Write(pem);
                return ExitCodes.Ok;
            }

            try
            {
                await File.WriteAllTextAsync(path, pem, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot write {path}: {e.Message}");
            }

            await Console.Error.WriteLineAsync($"CA certificate written to {path}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return new Command("ca", "The broker's certificate authority") { fetch };
    }
}
