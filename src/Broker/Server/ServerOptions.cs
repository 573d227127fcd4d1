using System.Net;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Server;

/// <summary>Options of <c>agent-vault server</c>; every flag also has an environment variable AGENT_VAULT_&lt;FLAG_NAME&gt;.</summary>
public sealed class ServerOptions
{
    public string ApiListen { get; set; } = "127.0.0.1:14321";

    public string ProxyListen { get; set; } = "127.0.0.1:14322";

    public string DataDir { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".agent-vault");

    public string PluginsDir { get; set; } = Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>The <c>plugins.lock</c> in force: <c>--plugins-lock</c>, else the one beside <see cref="PluginsDir"/> if present; null loads plugins unpinned.</summary>
    public string? PluginsLock { get; set; }

    public string? DatabaseUrl { get; set; }

    /// <summary>Extra CA certificates (PEM files) trusted for upstream TLS, in addition to the system store.</summary>
    public List<string> UpstreamCa { get; } = [];

    /// <summary>Host name → address pins, like curl's --resolve.</summary>
    public Dictionary<string, IPAddress> Resolve { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ranges the SSRF guard would block but the operator opened.</summary>
    public List<IPNetwork> AllowNetwork { get; } = [];

    public bool Dev { get; set; }

    public bool PasswordStdin { get; set; }

    public string? PublicProxyUrl { get; set; }

    /// <summary>The address people and agents use for the API; the API answers its host name besides loopback ones.</summary>
    public string? PublicApiUrl { get; set; }

    /// <summary>Minimum level of the server's own log (stderr); <c>Logging:LogLevel:*</c> configuration overrides it per category.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>Whether <see cref="LogLevel"/> was given (flag or environment); on a terminal the default is quieter.</summary>
    public bool LogLevelGiven { get; set; }

    /// <summary><c>--log-format</c>: the terminal/single-line text format, or one JSON object per line.</summary>
    public ServerLogFormat LogFormat { get; set; } = ServerLogFormat.Text;

    /// <summary><c>--audit-sink</c> addresses (<c>file:PATH</c>, <c>syslog+tcp://HOST:PORT</c>, <c>syslog+tls://HOST:PORT</c>), validated at bind time.</summary>
    public List<string> AuditSinks { get; } = [];

    /// <summary>
    /// <c>--otlp-endpoint</c>: the OpenTelemetry collector that receives traces, metrics and logs (OTLP over HTTP/protobuf,
    /// signals under <c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>); null when nothing is exported.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OpenID Connect issuer people sign in with (SPEC §14); null when sign-in for people is off.</summary>
    public Uri? OidcIssuer { get; set; }

    public string? OidcClientId { get; set; }

    /// <summary>A reference to the client secret (<c>env:NAME</c>, <c>file:/path</c> or <c>store:path#field</c>), never the value.</summary>
    public string? OidcClientSecret { get; set; }

    /// <summary>Request-log retention (rows kept).</summary>
    public int LogRetention { get; set; } = 100_000;

    /// <summary>Request rate of every agent without its own <c>rate_limit</c>: <c>N/s</c>, <c>N/min</c> or <c>N/h</c>.</summary>
    public string AgentRateLimit { get; set; } = "50/s";

    /// <summary>Bucket size for <see cref="AgentRateLimit"/> (requests an idle agent may send at once).</summary>
    public int AgentBurst { get; set; } = 200;

    /// <summary>Concurrent requests of every agent without its own <c>max_in_flight</c>.</summary>
    public int AgentMaxInFlight { get; set; } = 64;

    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    public long MaxResponseBodyBytes { get; set; } = 256L * 1024 * 1024;

    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
