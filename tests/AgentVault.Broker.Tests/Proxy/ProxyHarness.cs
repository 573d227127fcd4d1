using System.Net;
using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Model;
using AgentVault.Broker.Proxy;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Security;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tests.Hosting;
using AgentVault.Broker.Tls;
using AgentVault.Testing.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Tests.Proxy;

/// <summary>
/// The proxy feature on a real Kestrel listener (127.0.0.1:0) with in-memory configuration, credentials and request log:
/// the same connection middleware and pipeline as the server, with the test in control of state, clock and outbound stack.
/// </summary>
internal sealed class ProxyHarness : IAsyncDisposable
{
    public const string Token = "avt_test-agent-token-0123456789abcdefghijklmnop";
    public const string Secret = "sk-live-SECRET-0123456789";

    private readonly InProcessBroker _host;

    private ProxyHarness(InProcessBroker host, TestCertificateAuthority brokerCa)
    {
        _host = host;
        ProxyUri = host.Addresses[0];
        BrokerCa = brokerCa;
    }

    public Uri ProxyUri { get; }

    public TestCertificateAuthority BrokerCa { get; }

    public FakeConfigStateProvider State => _host.Services.GetRequiredService<FakeConfigStateProvider>();

    public FakeCredentialResolver Credentials => _host.Services.GetRequiredService<FakeCredentialResolver>();

    public CollectingLogSink RequestLog => _host.Services.GetRequiredService<CollectingLogSink>();

    public CollectingLoggerProvider Logs => _host.Logs;

    public ManualTimeProvider Clock => _host.Services.GetRequiredService<ManualTimeProvider>();

    public TestHeaderSchemeFactory TestScheme => _host.Services.GetRequiredService<TestHeaderSchemeFactory>();

    public TestBrokerCertificateAuthority Authority => (TestBrokerCertificateAuthority)_host.Services.GetRequiredService<ICertificateAuthority>();

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
        var clock = new ManualTimeProvider();
        var host = await InProcessBroker.StartAsync(
            options,
            clock,
            [listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                ProxyApplicationExtensions.ConfigureProxyListener(listen);
            }],
            services =>
            {
                services.AddSingleton(clock);
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
            },
            app =>
            {
                app.Services.GetRequiredService<FakeConfigStateProvider>().Publish(config, [AgentToken()]);
                app.Services.GetRequiredService<FakeCredentialResolver>().Values["dev/API_KEY"] = Secret;
                app.UseAgentVaultProxy();
            });
        return new ProxyHarness(host, brokerCa);
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
        await _host.DisposeAsync();
        BrokerCa.Dispose();
    }
}
