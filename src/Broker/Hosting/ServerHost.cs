using System.Net;
using AgentVault.Broker.Access;
using AgentVault.Broker.Identity;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Approvals;
using AgentVault.Broker.Catalog;
using AgentVault.Broker.Management;
using AgentVault.Broker.Notifications;
using AgentVault.Broker.Proposals;
using AgentVault.Broker.Proxy;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Security;
using AgentVault.Broker.Server;
using AgentVault.Broker.Sinks;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Telemetry;
using AgentVault.Broker.Tls;
using AgentVault.Broker.WebConsole;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Logging.Console;

namespace AgentVault.Broker.Hosting;

/// <summary>Runs the broker: one Kestrel server with the API and proxy listeners, after the ordered start-up; exits 0 on SIGINT/SIGTERM.</summary>
internal static class ServerHost
{
    public const string MasterPasswordVariable = "AGENT_VAULT_MASTER_PASSWORD";
    public const string DatabaseUrlVariable = "AGENT_VAULT_DATABASE_URL";

    public static async Task<int> RunAsync(ServerOptions options, ServerConsole console, CancellationToken cancellationToken)
    {
        try
        {
            _ = DatabaseLocation.Resolve(options);
            var api = ParseListen(options.ApiListen, "--api-listen");
            var proxy = ParseListen(options.ProxyListen, "--proxy-listen");
            var password = ReadMasterPassword(options, console);
            DataDirectory.Ensure(options.DataDir);
            var loosePermissions = FilePermissionCheck.Find(options);
            if (loosePermissions.Count > 0 && !options.Dev)
            {
                throw new BrokerStartupException(string.Join("\n", loosePermissions) + "\n(another local user could change what the broker trusts; outside --dev it does not start)");
            }

            var listeners = new BoundListeners();
            await using var app = Build(options, console, password, api, proxy, listeners);
            var hostLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ServerHost).FullName!);
            foreach (var problem in loosePermissions)
            {
                HostingLog.LoosePermissions(hostLogger, problem);
            }

            if (options.Dev)
            {
                HostingLog.DevNetworkOpen(hostLogger);
            }

            await app.Services.GetRequiredService<BrokerStartup>().RunAsync(cancellationToken);
            await StartAsync(app, api, proxy, cancellationToken);
            console.WriteLine($"api listening on http://{Format(listeners.Api!)}");
            console.WriteLine($"proxy listening on http://{Format(listeners.Proxy!)}");
            await app.WaitForShutdownAsync(cancellationToken);
            return 0;
        }
        catch (BrokerStartupException ex)
        {
            await console.Error.WriteLineAsync($"agent-vault server: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            // The database or the data directory is unusable (corrupt, read-only, not ours): say so in one line instead of a stack trace.
            await console.Error.WriteLineAsync($"agent-vault server: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped during start-up.
            return 0;
        }
    }

    private static WebApplication Build(ServerOptions options, ServerConsole console, string? password, ListenAddress api, ListenAddress proxy, BoundListeners listeners)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        ConfigureLogging(builder, options);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            ClientLimits.Apply(kestrel.Limits);
            kestrel.Listen(api.ResolveBindAddress(), api.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listeners.Api = listen;
            });
            kestrel.Listen(proxy.ResolveBindAddress(), proxy.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                ProxyApplicationExtensions.ConfigureProxyListener(listen);
                listeners.Proxy = listen;
            });
        });

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(console);
        services.AddSingleton(new MasterKeyOptions { DataDir = options.DataDir, Dev = options.Dev, Password = password });
        services.AddAgentVaultStorage(options);
        services.AddAgentVaultSecurity(options);
        services.AddAgentVaultAccess();
        services.AddAgentVaultIdentity(options);
        services.AddAgentVaultTls(options);
        services.AddAgentVaultSecrets(options);
        services.AddAgentVaultProxy(options);
        services.AddAgentVaultManagement(options);
        services.AddAgentVaultTelemetry(options);
        services.AddAgentVaultAudit(options);
        services.AddAgentVaultSinks(options);
        services.AddAgentVaultConsole();
        services.AddAgentVaultNotifications(options);
        services.AddAgentVaultCatalog(options);
        services.AddAgentVaultProposals(options);
        services.AddAgentVaultApprovals(options);
        services.AddSingleton<BrokerStartup>();

        var app = builder.Build();
        app.MapWhen(ProxyApplicationExtensions.IsProxyRequest, branch => branch.UseAgentVaultProxy());
        app.UseAgentVaultApiGuards(ApiHostFilter.For(api, options.PublicApiUrl));
        app.UseAgentVaultConsole();
        app.UseAgentVaultIdentity(options);
        app.UseRouting();
        app.UseAntiforgery();
        app.MapAgentVaultHealth();
        app.MapAgentVaultManagement(CatalogEndpoints.Map, ProposalsEndpoints.Map, ApprovalsEndpoints.Map, NotificationsEndpoints.Map, IdentityEndpoints.Map);
        IdentityEndpoints.MapSignIn(app);
        app.MapAgentVaultConsole();
        return app;
    }

    private static async Task StartAsync(WebApplication app, ListenAddress api, ListenAddress proxy, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new BrokerStartupException($"cannot listen on {api} (api) and {proxy} (proxy): {ex.Message}", ex);
        }
    }

    // Defaults sit under the configuration so that the standard Logging:LogLevel:* keys (appsettings-style environment
    // variables such as Logging__LogLevel__Default=Debug) override them per category. Categories that could carry a
    // substituted secret stay clamped whatever the configuration says (ProxyLogSafety).
    private static void ConfigureLogging(WebApplicationBuilder builder, ServerOptions options)
    {
        // On a terminal, a person reads it: warnings and errors only unless --log-level says otherwise, one short line each.
        // JSON lines are for machines: never quietened for a terminal.
        var json = options.LogFormat == ServerLogFormat.Json;
        var terminal = !Console.IsErrorRedirected && !json;
        var level = terminal && !options.LogLevelGiven ? LogLevel.Warning : options.LogLevel;
        var framework = level > LogLevel.Warning ? level : LogLevel.Warning;
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = level.ToString(),
                ["Logging:LogLevel:Microsoft.AspNetCore"] = framework.ToString(),
                ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = framework.ToString(),

                // Kestrel warns that HTTP/2 without TLS is unavailable on the proxy listener; HTTP/2 is negotiated inside the intercepted TLS instead.
                ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = (level > LogLevel.Error ? level : LogLevel.Error).ToString(),
            },
        });
        var logging = builder.Logging;
        logging.ClearProviders();
        logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        if (json)
        {
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.IncludeScopes = false;
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        }
        else if (terminal)
        {
            logging.AddConsole(o => o.FormatterName = TerminalLogFormatter.Name);
            logging.AddConsoleFormatter<TerminalLogFormatter, TerminalLogFormatterOptions>(o => o.MinimumLevel = level);
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            });
        }

        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    private static string? ReadMasterPassword(ServerOptions options, ServerConsole console)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(MasterPasswordVariable);

        // Plugins and their child processes have no business seeing the master password, nor the database password
        // a postgres:// URL may carry (the options were bound from the environment already).
        Environment.SetEnvironmentVariable(MasterPasswordVariable, null);
        Environment.SetEnvironmentVariable(DatabaseUrlVariable, null);
        if (options.PasswordStdin)
        {
            var line = console.In.ReadLine();
            return string.IsNullOrEmpty(line) ? throw new BrokerStartupException("--password-stdin: no password on the first line of stdin") : line;
        }

        return string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment;
    }

    private static ListenAddress ParseListen(string text, string flag) =>
        ListenAddress.TryParse(text, out var address, out var error) ? address! : throw new BrokerStartupException($"{flag}: {error}");

    private static string Format(ListenOptions listen)
    {
        var endpoint = listen.IPEndPoint!;
        var address = endpoint.Address;
        if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.Loopback;
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{endpoint.Port}" : $"{address}:{endpoint.Port}";
    }
}
