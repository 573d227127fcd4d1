using System.CommandLine;
using System.Net.Sockets;

namespace AgentVault.Broker.Cli.Commands;

/// <summary>
/// <c>healthcheck [--addr URL] [--ready]</c>: asks a running server's <c>/healthz</c> (or <c>/readyz</c>) and exits 0 when it
/// answers 200, else 1. A container health check that needs no shell and no curl in the image (docs/operations.md).
/// </summary>
internal static class HealthcheckCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var address = new Option<string>("--addr")
        {
            Description = "API address (default: AGENT_VAULT_ADDR, else loopback on the port of AGENT_VAULT_API_LISTEN, else http://127.0.0.1:14321)",
            HelpName = "URL",
        };
        var ready = new Option<bool>("--ready") { Description = "Ask /readyz (started and database reachable) instead of /healthz" };
        var command = new Command("healthcheck", "Exit 0 when the server at the API address answers its health check") { address, ready };
        command.SetAction(async (result, cancellationToken) =>
        {
            var baseUri = BaseAddress(result.GetValue(address));
            var target = new Uri(baseUri, result.GetValue(ready) ? "readyz" : "healthz");
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout };
            try
            {
                using var response = await http.GetAsync(target, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new CliException($"{target} answered {(int)response.StatusCode}");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or SocketException or TaskCanceledException)
            {
                throw new CliException($"{target} did not answer: {ex.Message}");
            }

            CliOutput.WriteLine($"ok: {target}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Uri BaseAddress(string? flag)
    {
        if (flag is { Length: > 0 })
        {
            return Uri.TryCreate(flag, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? new Uri(uri.AbsoluteUri.TrimEnd('/') + "/")
                : throw new CliException($"--addr must be an http:// or https:// URL, e.g. {CliEnvironment.DefaultAddress}", ExitCodes.Usage);
        }

        if (Environment.GetEnvironmentVariable(CliEnvironment.AddressVariable) is not { Length: > 0 }
            && FromListenAddress(Environment.GetEnvironmentVariable("AGENT_VAULT_API_LISTEN")) is { } listen)
        {
            return listen;
        }

        return CliEnvironment.ApiAddress();
    }

    // The server's own listen setting (HOST:PORT): a wildcard or loopback host is asked on loopback; another host as given.
    internal static Uri? FromListenAddress(string? listen)
    {
        if (string.IsNullOrWhiteSpace(listen))
        {
            return null;
        }

        var colon = listen.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(listen.AsSpan(colon + 1), out var port) || port is <= 0 or > 65535)
        {
            return null;
        }

        var host = listen[..colon].Trim('[', ']');
        var loopback = host is "" or "0.0.0.0" or "::" or "*" or "+" or "localhost" || host.StartsWith("127.", StringComparison.Ordinal) || host == "::1";
        var name = loopback ? "127.0.0.1" : host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new Uri($"http://{name}:{port}/");
    }
}
