using System.CommandLine;
using System.Globalization;
using System.Net;
using AgentVault.Broker.Server;
using AgentVault.Broker.Sinks;
using AgentVault.Broker.Storage;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Hosting;

/// <summary>Fills <see cref="ServerOptions"/> from the parsed flags, falling back to environment variables (flags win); collects the first error as one readable line.</summary>
internal sealed class ServerOptionsBinder(ParseResult parseResult, ServerCommandOptions flags, Func<string, string?> environment)
{
    private static readonly char[] ListSeparators = [','];

    public ServerOptions? Bind(out string? error)
    {
        var options = new ServerOptions();
        error = null;
        try
        {
            options.ApiListen = Listen(flags.ApiListen, options.ApiListen);
            options.ProxyListen = Listen(flags.ProxyListen, options.ProxyListen);
            options.DataDir = PathValue(flags.DataDir) ?? options.DataDir;
            options.PluginsDir = PathValue(flags.PluginsDir) ?? options.PluginsDir;
            options.PluginsLock = PluginsLock(options.PluginsDir);
            options.DatabaseUrl = DatabaseUrl();
            options.Dev = Flag(flags.Dev);
            options.PasswordStdin = Flag(flags.PasswordStdin);
            options.PublicProxyUrl = PublicUrl(flags.PublicProxyUrl);
            options.PublicApiUrl = PublicUrl(flags.PublicApiUrl);
            options.OtlpEndpoint = PublicUrl(flags.OtlpEndpoint) is { } otlp ? new Uri(otlp) : null;
            options.LogRetention = Retention(options.LogRetention);
            options.LogLevel = Level(options.LogLevel);
            options.LogLevelGiven = Text(flags.LogLevel) is not null;
            options.LogFormat = Format();
            BindAgentLimits(options);
            BindOidc(options);

            foreach (var file in List(flags.UpstreamCa))
            {
                var path = ExpandHome(file);
                options.UpstreamCa.Add(File.Exists(path) ? Path.GetFullPath(path) : throw new ServerUsageException($"--upstream-ca: file '{file}' not found"));
            }

            foreach (var sink in List(flags.AuditSink))
            {
                options.AuditSinks.Add(SinkAddress.TryParse(sink, out _, out var problem) ? sink.Trim() : throw new ServerUsageException($"--audit-sink: {problem}"));
            }

            foreach (var entry in List(flags.Resolve))
            {
                var (host, address) = ParseResolve(entry);
                options.Resolve[host] = address;
            }

            foreach (var entry in List(flags.AllowNetwork))
            {
                options.AllowNetwork.Add(ParseNetwork(entry));
            }

            return options;
        }
        catch (ServerUsageException ex)
        {
            error = ex.Message;
            return null;
        }
    }

    /// <summary><c>HOST:ADDRESS</c>: everything after the first colon is the address (IPv4 or IPv6, brackets optional).</summary>
    public static (string Host, IPAddress Address) ParseResolve(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        var host = colon > 0 ? entry[..colon].Trim().TrimEnd('.') : string.Empty;
        var address = colon > 0 ? entry[(colon + 1)..].Trim() : string.Empty;
        if (address.StartsWith('[') && address.EndsWith(']'))
        {
            address = address[1..^1];
        }

        if (host.Length == 0 || !IPAddress.TryParse(address, out var ip))
        {
            throw new ServerUsageException($"--resolve: '{entry}' is not HOST:ADDRESS (e.g. api.example.test:127.0.0.1 or api.example.test:[::1])");
        }

        return (host.ToLowerInvariant(), ip);
    }

    public static IPNetwork ParseNetwork(string entry)
    {
        var text = entry.Trim();
        if (IPAddress.TryParse(text, out var single))
        {
            return new IPNetwork(single, single.GetAddressBytes().Length * 8);
        }

        if (!IPNetwork.TryParse(text, out var network))
        {
            throw new ServerUsageException($"--allow-network: '{entry}' is not a CIDR range (e.g. 10.1.0.0/16, fd00::/8)");
        }

        // IPNetwork masks 10.0.0.1/8 to 10.0.0.0/8 silently; refuse it rather than guess whether the operator meant the host or the range.
        var written = IPAddress.Parse(text[..text.IndexOf('/', StringComparison.Ordinal)]);
        return written.Equals(network.BaseAddress)
            ? network
            : throw new ServerUsageException($"--allow-network: '{entry}' has host bits set (did you mean {network}?)");
    }

    private string Listen(Option<string> option, string fallback)
    {
        var text = Text(option);
        if (text is null)
        {
            return fallback;
        }

        return ListenAddress.TryParse(text, out var address, out var message) ? address!.ToString() : throw new ServerUsageException($"{option.Name}: {message}");
    }

    private string? DatabaseUrl()
    {
        var url = Text(flags.DatabaseUrl);
        var problem = DatabaseLocation.Validate(url);
        return problem is null ? (string.IsNullOrWhiteSpace(url) ? null : url.Trim()) : throw new ServerUsageException($"--database-url: {problem}");
    }

    /// <summary>
    /// <c>--oidc-issuer</c> (https, or http to a loopback host for a local test provider) with <c>--oidc-client-id</c>, and an
    /// optional <c>--oidc-client-secret</c> reference (a public client has none). The secret is never taken as a value.
    /// </summary>
    private void BindOidc(ServerOptions options)
    {
        var issuer = Text(flags.OidcIssuer);
        var clientId = Text(flags.OidcClientId);
        var secret = Text(flags.OidcClientSecret);
        if (issuer is null)
        {
            if (clientId is not null || secret is not null)
            {
                throw new ServerUsageException("--oidc-client-id and --oidc-client-secret need --oidc-issuer");
            }

            return;
        }

        if (!Uri.TryCreate(issuer, UriKind.Absolute, out var uri) || !(uri.Scheme == "https" || (uri.Scheme == "http" && uri.IsLoopback)) || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new ServerUsageException($"--oidc-issuer: '{issuer}' is not an https:// issuer URL");
        }

        if (clientId is null)
        {
            throw new ServerUsageException("--oidc-issuer needs --oidc-client-id");
        }

        if (secret is not null && !(secret.StartsWith("env:", StringComparison.Ordinal) || secret.StartsWith("file:", StringComparison.Ordinal) || secret.Contains(':', StringComparison.Ordinal)))
        {
            throw new ServerUsageException("--oidc-client-secret takes a reference (env:NAME, file:/path or store:path#field), not the secret itself");
        }

        options.OidcIssuer = uri;
        options.OidcClientId = clientId;
        options.OidcClientSecret = secret;
    }

    private string? PublicUrl(Option<string> option)
    {
        var text = Text(option);
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? text.TrimEnd('/')
            : throw new ServerUsageException($"{option.Name}: '{text}' is not an http:// or https:// URL");
    }

    // An explicit lock must exist (a typo must not silently unpin the plugins); the default one is used when present.
    private string? PluginsLock(string pluginsDir)
    {
        if (PathValue(flags.PluginsLock) is { } path)
        {
            return File.Exists(path) ? path : throw new ServerUsageException($"--plugins-lock: file '{path}' not found");
        }

        var beside = Secrets.PluginLock.DefaultPath(pluginsDir);
        return File.Exists(beside) ? beside : null;
    }

    private int Retention(int fallback)
    {
        var text = Text(flags.LogRetention);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) && rows > 0
            ? rows
            : throw new ServerUsageException($"--log-retention: '{text}' is not a positive number of records");
    }

    private LogLevel Level(LogLevel fallback) => Text(flags.LogLevel)?.ToLowerInvariant() switch
    {
        null => fallback,
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" or "info" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        var other => throw new ServerUsageException($"--log-level: '{other}' is not one of trace, debug, information, warning, error"),
    };

    private ServerLogFormat Format() => Text(flags.LogFormat)?.ToLowerInvariant() switch
    {
        null or "text" => ServerLogFormat.Text,
        "json" => ServerLogFormat.Json,
        var other => throw new ServerUsageException($"--log-format: '{other}' is not text or json"),
    };

    // Egress policy defaults for agents without their own limits. A rate given without a burst gets a bucket of N, as an
    // agent's own rate_limit does; only the built-in 50/s comes with the larger burst of 200.
    private void BindAgentLimits(ServerOptions options)
    {
        if (Text(flags.AgentRateLimit) is { } rate)
        {
            options.AgentRateLimit = Policy.RateLimitSpec.TryParse(rate, out var spec)
                ? spec.ToString()
                : throw new ServerUsageException($"--agent-rate-limit: '{rate}' is not a rate like 50/s, 600/min or 1000/h");
            options.AgentBurst = spec.Count;
        }

        options.AgentBurst = PositiveNumber(flags.AgentBurst) ?? options.AgentBurst;
        options.AgentMaxInFlight = PositiveNumber(flags.AgentMaxInFlight) ?? options.AgentMaxInFlight;
    }

    private int? PositiveNumber(Option<string> option)
    {
        var text = Text(option);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ServerUsageException($"{option.Name}: '{text}' is not a positive number");
    }

    private bool Flag(Option<bool> option)
    {
        if (parseResult.GetResult(option) is { Implicit: false })
        {
            return parseResult.GetValue(option);
        }

        var variable = ServerCommandOptions.EnvironmentVariableOf(option);
        return environment(variable)?.Trim().ToLowerInvariant() switch
        {
            null or "" or "0" or "false" or "no" or "off" => false,
            "1" or "true" or "yes" or "on" => true,
            _ => throw new ServerUsageException($"{variable}: expected 1, true, 0 or false"),
        };
    }

    private string? PathValue(Option<string> option) => Text(option) is { } path ? Path.GetFullPath(ExpandHome(path)) : null;

    private string? Text(Option<string> option)
    {
        if (parseResult.GetResult(option) is { Implicit: false })
        {
            return parseResult.GetValue(option);
        }

        var value = environment(ServerCommandOptions.EnvironmentVariableOf(option));
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private string[] List(Option<string[]> option)
    {
        if (parseResult.GetResult(option) is { Implicit: false })
        {
            return parseResult.GetValue(option) ?? [];
        }

        var value = environment(ServerCommandOptions.EnvironmentVariableOf(option));
        return value is null ? [] : value.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
