using System.CommandLine;

namespace AgentVault.Broker.Hosting;

/// <summary>The flags of <c>agent-vault server</c> (SPEC §2); each is also read from AGENT_VAULT_&lt;FLAG_NAME&gt; when not given.</summary>
internal sealed class ServerCommandOptions
{
    public Option<string> ApiListen { get; } = new("--api-listen") { Description = "Management API address (default 127.0.0.1:14321; port 0 picks a free port)", HelpName = "HOST:PORT" };

    public Option<string> ProxyListen { get; } = new("--proxy-listen") { Description = "Proxy address (default 127.0.0.1:14322; port 0 picks a free port)", HelpName = "HOST:PORT" };

    public Option<string> DataDir { get; } = new("--data-dir") { Description = "Data directory (default ~/.agent-vault)", HelpName = "DIR" };

    public Option<string> PluginsDir { get; } = new("--plugins-dir") { Description = "Plugin directory (default <app dir>/plugins)", HelpName = "DIR" };

    public Option<string> PluginsLock { get; } = new("--plugins-lock") { Description = "SHA-256 pins of the plugin files (default: plugins.lock beside the plugin directory, if present)", HelpName = "FILE" };

    public Option<string> DatabaseUrl { get; } = new("--database-url") { Description = "sqlite:PATH (default: agent-vault.db in the data directory) or postgres://…", HelpName = "URL" };

    public Option<string[]> UpstreamCa { get; } = new("--upstream-ca") { Description = "Extra trusted CA (PEM file) for upstream TLS; repeatable", HelpName = "FILE" };

    public Option<string[]> Resolve { get; } = new("--resolve") { Description = "Pin a host name to an address, like curl --resolve; repeatable", HelpName = "HOST:ADDRESS" };

    public Option<string[]> AllowNetwork { get; } = new("--allow-network") { Description = "Open an address range the SSRF guard blocks; repeatable", HelpName = "CIDR" };

    public Option<bool> Dev { get; } = new("--dev") { Description = "Try-out mode: generated master key file, built-in file store 'local', private upstream ranges allowed" };

    public Option<bool> PasswordStdin { get; } = new("--password-stdin") { Description = "Read the master password from the first line of stdin (else AGENT_VAULT_MASTER_PASSWORD)" };

    public Option<string> PublicProxyUrl { get; } = new("--public-proxy-url") { Description = "Proxy URL handed to agents by /v1/discover (default: the API host with the proxy port)", HelpName = "URL" };

    public Option<string> PublicApiUrl { get; } = new("--public-api-url") { Description = "URL people and agents use for the API; its host is answered besides loopback names", HelpName = "URL" };

    public Option<string> LogRetention { get; } = new("--log-retention") { Description = "Request-log records kept in the database (default 100000)", HelpName = "ROWS" };

    public Option<string> LogLevel { get; } = new("--log-level") { Description = "Server log level: trace, debug, information (default), warning or error", HelpName = "LEVEL" };

    public Option<string> LogFormat { get; } = new("--log-format") { Description = "Server log format on stderr: text (default) or json (one JSON object per line, UTC timestamps)", HelpName = "text|json" };

    public Option<string> OtlpEndpoint { get; } = new("--otlp-endpoint") { Description = "Export traces, metrics and logs over OTLP/HTTP to this collector (e.g. http://127.0.0.1:4318)", HelpName = "URL" };

    public Option<string[]> AuditSink { get; } = new("--audit-sink") { Description = "Stream request-log records and audit-trail entries to file:PATH, syslog+tcp://HOST:PORT or syslog+tls://HOST:PORT; repeatable", HelpName = "SINK" };

    public Option<string> AgentRateLimit { get; } = new("--agent-rate-limit") { Description = "Request rate of agents without their own rate_limit (default 50/s)", HelpName = "N/s|N/min|N/h" };

    public Option<string> AgentBurst { get; } = new("--agent-burst") { Description = "Requests an idle agent may send at once under --agent-rate-limit (default 200 with the default rate, else N; never below N)", HelpName = "N" };

    public Option<string> AgentMaxInFlight { get; } = new("--agent-max-in-flight") { Description = "Concurrent requests of agents without their own max_in_flight (default 64)", HelpName = "N" };

    public Option<string> OidcIssuer { get; } = new("--oidc-issuer") { Description = "OpenID Connect issuer people sign in with (console and agent-vault login)", HelpName = "URL" };

    public Option<string> OidcClientId { get; } = new("--oidc-client-id") { Description = "Client id registered at the issuer for this broker", HelpName = "ID" };

    public Option<string> OidcClientSecret { get; } = new("--oidc-client-secret") { Description = "Reference to the client secret: env:NAME, file:/path or store:path#field", HelpName = "REF" };

    public IEnumerable<Option> All =>
        [ApiListen, ProxyListen, DataDir, PluginsDir, PluginsLock, DatabaseUrl, UpstreamCa, Resolve, AllowNetwork, Dev, PasswordStdin, PublicProxyUrl, PublicApiUrl, LogRetention, LogLevel,
         LogFormat, OtlpEndpoint, AuditSink, AgentRateLimit, AgentBurst, AgentMaxInFlight, OidcIssuer, OidcClientId, OidcClientSecret];

    /// <summary><c>--api-listen</c> → <c>AGENT_VAULT_API_LISTEN</c>.</summary>
    public static string EnvironmentVariableOf(Option option) =>
        "AGENT_VAULT_" + option.Name.TrimStart('-').Replace('-', '_').ToUpperInvariant();
}
