using System.Net;
using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Model;
using AgentVault.Broker.Proxy;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Security;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tls;
using AgentVault.Testing.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// The proxy feature on a real Kestrel listener (127.0.0.1:0) with in-memory configuration, credentials and request log:
/// the same connection middleware and pipeline as the server, with the test in control of state, clock and outbound stack.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    public const string Token = "avt_test-agent-token-0123456789abcdefghijklmnop";
    public const string Secret = "sk-live-SECRET-0123456789";

    private readonly WebApplication _app;

    private ProxyHarness(WebApplication app, Uri proxyUri, TestCertificateAuthority brokerCa)
    {
        _app = app;
        ProxyUri = proxyUri;
        BrokerCa = brokerCa;
    }

    public Uri ProxyUri { get; }

    public TestCertificateAuthority BrokerCa { get; }

    public FakeConfigStateProvider State => _app.Services.GetRequiredService<FakeConfigStateProvider>();

    public FakeCredentialResolver Credentials => _app.Services.GetRequiredService<FakeCredentialResolver>();

    public CollectingLogSink RequestLog => _app.Services.GetRequiredService<CollectingLogSink>();

    public CollectingLoggerProvider Logs => _app.Services.GetRequiredService<CollectingLoggerProvider>();

    public ManualTimeProvider Clock => _app.Services.GetRequiredService<ManualTimeProvider>();

    public TestHeaderSchemeFactory TestScheme => _app.Services.GetRequiredService<TestHeaderSchemeFactory>();

    public TestBrokerCertificateAuthority Authority => (TestBrokerCertificateAuthority)_app.Services.GetRequiredService<ICertificateAuthority>();

    /// <summary>A vault "dev" with service "api" on the upstream host and port (test-header scheme with credential API_KEY), and agent "claude".</summary>
    public static ConfigDocument DefaultConfig(int upstreamPort, string unmatched = "deny") => new()
    {
        Vaults =
        [
            new VaultDefinition
            {
                Name = "dev",
                Unmatched = unmatched,
                Credentials = new() { ["API_KEY"] = new CredentialDefinition { Ref = "local:api" } },
                Services =
                [
                    new ServiceDefinition
                    {
                        Name = "api",
                        Host = $"api.upstream.test:{upstreamPort}",
                        Auth = new() { ["type"] = "test-header", ["key"] = "API_KEY", ["prefix"] = "Bearer " },
                        Redact = "off", // the echo upstream reflects the credential; redaction has its own tests (Policy/)
                    },
                ],
            },
            new VaultDefinition { Name = "other" },
        ],
        Agents = [new AgentDefinition { Name = "claude", Vaults = ["dev"] }],
    };

    public static TokenRecord AgentToken(string token = Token, string agent = "claude", DateTimeOffset? expires = null) => new()
    {
        Id = "tok_" + agent,
        Hash = TokenHasher.Hash(token),
        Agent = agent,
        Kind = "agent",
        CreatedAt = DateTimeOffset.UtcNow,
        ExpiresAt = expires,
    };

    public static async Task<ProxyHarness> StartAsync(TestCertificateAuthority upstreamCa, ConfigDocument config, Action<ServerOptions>? configure = null)
    {
        // Like `server --resolve NAME:ADDR --upstream-ca test-ca.pem --allow-network 127.0.0.1/32`: the real outbound stack
        // (SSRF guard, TLS trust), loopback opened for the test upstreams, private and metadata addresses still blocked.
        var options = new ServerOptions();
        foreach (var name in new[] { "api.upstream.test", "other.upstream.test", "untrusted.upstream.test", "closed.upstream.test" })
        {
            options.Resolve[name] = IPAddress.Loopback;
        }

        options.Resolve["private.upstream.test"] = IPAddress.Parse("10.1.2.3");
        options.Resolve["metadata.upstream.test"] = IPAddress.Parse("169.254.169.254");
        options.UpstreamCa.Add(upstreamCa.PemPath);
        options.AllowNetwork.Add(IPNetwork.Parse("127.0.0.1/32"));
        configure?.Invoke(options);
        var brokerCa = new TestCertificateAuthority("Broker Test CA");
        var logs = new CollectingLoggerProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            ProxyApplicationExtensions.ConfigureProxyListener(listen);
        }));
        var clock = new ManualTimeProvider();
        var services = builder.Services;
        services.AddSingleton(logs);
        services.AddSingleton(options);
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<FakeConfigStateProvider>();
        services.AddSingleton<IConfigStateProvider>(sp => sp.GetRequiredService<FakeConfigStateProvider>());
        services.AddSingleton<FakeCredentialResolver>();
        services.AddSingleton<ICredentialResolver>(sp => sp.GetRequiredService<FakeCredentialResolver>());
        services.AddSingleton<CollectingLogSink>();
        services.AddSingleton<IRequestLogSink>(sp => sp.GetRequiredService<CollectingLogSink>());
        services.AddSingleton<ICertificateAuthority>(new TestBrokerCertificateAuthority(brokerCa));
        services.AddSingleton<TestHeaderSchemeFactory>();
        services.AddSingleton<IAuthSchemeFactory>(sp => sp.GetRequiredService<TestHeaderSchemeFactory>());
        services.AddSingleton<IAuthSchemeFactory, BodySigningSchemeFactory>();
        services.AddSingleton<IPluginCatalog>(sp => new FakePluginCatalog(sp.GetServices<IAuthSchemeFactory>()));
        services.AddAgentVaultProxy(options);
        var app = builder.Build();
        app.Services.GetRequiredService<FakeConfigStateProvider>().Publish(config, [AgentToken()]);
        app.Services.GetRequiredService<FakeCredentialResolver>().Values["dev/API_KEY"] = Secret;
        app.UseAgentVaultProxy();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ProxyHarness(app, new Uri(address), brokerCa);
    }

    /// <summary>An HttpClient that uses the broker as its proxy and trusts only the broker's CA.</summary>
    public HttpClient CreateClient(string? user = Token, string? password = "dev", Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy(ProxyUri) { Credentials = user is null ? null : new NetworkCredential(user, password) },
            UseProxy = true,
            AllowAutoRedirect = false,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => BrokerCa.Validates(certificate, errors);
        return new HttpClient(handler)
        {
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        BrokerCa.Dispose();
    }
}
