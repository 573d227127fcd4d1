using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AgentVault.Broker.Access;
using AgentVault.Broker.Approvals;
using AgentVault.Broker.Proposals;
using AgentVault.Broker.Catalog;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Management;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Security;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Storage.Common;
using AgentVault.Broker.Tests.Storage;
using AgentVault.Broker.Tests.Hosting;
using AgentVault.Broker.Tests.Management.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AgentVault.Broker.Tests.Management;

/// <summary>The management API on real Kestrel (127.0.0.1, two ports like the broker: api and proxy) over in-memory fakes.</summary>
internal sealed class ManagementTestHost : IAsyncDisposable
{
    public const string AdminToken = "ava_test-admin-token-0123456789abcdefghijklmnopq";

    private readonly InProcessBroker _host;

    private readonly TestDatabase _people;

    private ManagementTestHost(InProcessBroker host, InMemoryMetadata metadata, FakeStoreRegistry registry, FakeRequestLog log, TestDatabase people)
    {
        _host = host;
        _people = people;
        Metadata = metadata;
        Registry = registry;
        Log = log;
        Api = new Uri($"http://127.0.0.1:{host.Addresses[0].Port}/");
        ProxyPort = host.Addresses[1].Port;
        Client = new HttpClient { BaseAddress = Api };
        Admin = new HttpClient { BaseAddress = Api };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public Uri Api { get; }

    public int ProxyPort { get; }

    /// <summary>No credentials.</summary>
    public HttpClient Client { get; }

    /// <summary>Sends the admin token.</summary>
    public HttpClient Admin { get; }

    public InMemoryMetadata Metadata { get; }

    public FakeStoreRegistry Registry { get; }

    public FakeRequestLog Log { get; }

    /// <summary>People's sessions (in a SQLite file of their own): start one to act as a person.</summary>
    public SessionStore Sessions => _host.Services.GetRequiredService<SessionStore>();

    public AuditTrail Audit => _host.Services.GetRequiredService<AuditTrail>();

    public IServiceProvider Services => _host.Services;

    public FakeCredentialChecker Checker => _host.Services.GetRequiredService<FakeCredentialChecker>();

    public FakeStoreStatistics Statistics => _host.Services.GetRequiredService<FakeStoreStatistics>();

    public FakeAuthSchemeNotices Notices => _host.Services.GetRequiredService<FakeAuthSchemeNotices>();

    /// <summary>
    /// Starts the API; with <paramref name="features"/> also the catalog, proposals and approvals routes (their storage in the
    /// same SQLite file as sessions), as the broker maps them.
    /// </summary>
    public static async Task<ManagementTestHost> StartAsync(string? publicProxyUrl = null, bool features = false)
    {
        var options = new ServerOptions { ApiListen = "127.0.0.1:0", ProxyListen = "127.0.0.1:0", PublicProxyUrl = publicProxyUrl };
        var metadata = new InMemoryMetadata();
        var registry = new FakeStoreRegistry();
        var log = new FakeRequestLog();
        var people = await TestDatabase.CreateAsync();
        var host = await InProcessBroker.StartAsync(
            options,
            TimeProvider.System,
            [_ => { }, _ => { }], // api, proxy
            services =>
            {
                services.AddSingleton(metadata);
                services.AddSingleton<IConfigRepository>(metadata);
                services.AddSingleton<IConfigStateProvider>(metadata);
                services.AddSingleton<ITokenRepository>(metadata);
                services.AddSingleton<IAdminTokenVerifier>(new FakeAdminTokenVerifier(AdminToken));
                services.AddSingleton<IPluginCatalog>(ManagementPlugins.Catalog());
                services.AddSingleton<IStoreRegistry>(registry);
                services.AddSingleton<FakeStoreStatistics>();
                services.AddSingleton<IStoreStatistics>(sp => sp.GetRequiredService<FakeStoreStatistics>());
                services.AddSingleton<FakeCredentialChecker>();
                services.AddSingleton<ICredentialChecker>(sp => sp.GetRequiredService<FakeCredentialChecker>());
                services.AddSingleton<FakeAuthSchemeNotices>();
                services.AddSingleton<AgentVault.Broker.Routing.IAuthSchemeNotices>(sp => sp.GetRequiredService<FakeAuthSchemeNotices>());
                services.AddSingleton<IRequestLogRepository>(log);
                services.AddSingleton<IRequestLogFeed>(log);
                services.AddSingleton<ISessionRepository>(new SessionRepository(new SqliteStatementRunner(people.Database)));
                services.AddSingleton<IAuditRepository>(new AuditRepository(new SqliteStatementRunner(people.Database)));
                services.AddAgentVaultAccess();
                services.AddSingleton<IAdminTokenRotator>(new FakeAdminTokenRotator());
                if (features)
                {
                    services.AddSingleton<IProposalRepository>(new SqliteProposalRepository(people.Database));
                    services.AddSingleton<AgentVault.Broker.Notifications.INotificationPublisher>(AgentVault.Broker.Notifications.NullNotificationPublisher.Instance);
                    services.AddAgentVaultCatalog(options);
                    services.AddAgentVaultProposals(options);
                    services.AddAgentVaultApprovalGate();
                }

                services.AddAgentVaultManagement(options);
            },
            app =>
            {
                app.UseRouting();
                if (features)
                {
                    app.MapAgentVaultManagement(AgentVault.Broker.Catalog.CatalogEndpoints.Map, AgentVault.Broker.Proposals.ProposalsEndpoints.Map, AgentVault.Broker.Approvals.ApprovalsEndpoints.Map);
                }
                else
                {
                    app.MapAgentVaultManagement();
                }
            });
        return new ManagementTestHost(host, metadata, registry, log, people);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync());

    /// <summary>Applies a JSON document as admin and returns the answer; fails the test on a non-success status.</summary>
    public async Task<JsonNode> ApplyAsync(string json, bool prune = false)
    {
        using var response = await Admin.PostAsync(prune ? "v1/apply?prune=true" : "v1/apply", Json(json));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<JsonNode> PostJsonAsync(HttpClient client, string path, object body, HttpStatusCode expected)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _host.DisposeAsync();
        _people.Dispose();
    }
}
