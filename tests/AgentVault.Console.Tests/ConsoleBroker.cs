using System.Text.Json.Nodes;
using AgentVault.Console.Tests.Browser;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using Microsoft.Playwright;

namespace AgentVault.Console.Tests;

/// <summary>
/// The broker for console browser tests (a class fixture): the real broker process (<see cref="BrokerEnvironment"/>) with
/// an HTTPS test upstream at <c>api.upstream.test</c>, the vault <see cref="Vault"/> (unmatched hosts denied) with the
/// passthrough service <see cref="Service"/> for the whole upstream, and the agent <see cref="Agent"/> granted it.
/// </summary>
public sealed class ConsoleBroker : IAsyncLifetime
{
    public const string Vault = "dev";
    public const string Service = "echo";
    public const string Agent = "claude";
    public const string UpstreamHost = "api.upstream.test";

    private BrokerEnvironment? _environment;

    public BrokerEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public TestUpstream Upstream { get; private set; } = null!;

    /// <summary>The API listener that serves the console, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri ApiUrl => Environment.Process.ApiUrl;

    public string AdminToken => Environment.Process.AdminToken;

    /// <summary>The token of <see cref="Agent"/>.</summary>
    public string AgentToken { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Console Browser CA", Hosts = [UpstreamHost] });
        Upstream = Environment.Own(await TestUpstream.StartAsync(Environment.UpstreamCa));
        var config = new JsonObject
        {
            ["vaults"] = new JsonArray(new JsonObject
            {
                ["name"] = Vault,
                ["unmatched"] = "deny",
                ["services"] = new JsonArray(new JsonObject
                {
                    ["name"] = Service,
                    ["host"] = $"{UpstreamHost}:{Upstream.Port}",
                    ["auth"] = new JsonObject { ["type"] = "passthrough" },
                }),
            }),
            ["agents"] = new JsonArray(new JsonObject { ["name"] = Agent, ["vaults"] = new JsonArray(Vault) }),
        };
        AgentToken = (await Environment.ApplyAndGetTokensAsync(config))[Agent];
    }

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }

    /// <summary>Signs <paramref name="page"/> in through the <c>/login</c> form with the admin token and waits for the overview.</summary>
    public async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(new Uri(ApiUrl, "/login").AbsoluteUri);
        await page.GetByLabel("Admin token").FillAsync(AdminToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Navigation.ArrivedAsync(page, "/ui");
    }

    /// <summary>
    /// A request through the proxy as <see cref="Agent"/>: <paramref name="pathAndQuery"/> on the upstream (served by
    /// <see cref="Service"/>), or with <paramref name="host"/> a URL on a host no service matches (refused). Returns the status.
    /// </summary>
    public async Task<int> RequestAsync(string pathAndQuery, string? host = null)
    {
        using var client = Environment.CreateClient(AgentToken, Vault);
        var url = host is null ? new Uri(Upstream.BaseUri(UpstreamHost), pathAndQuery) : new Uri($"http://{host}{pathAndQuery}");
        using var response = await client.GetAsync(url);
        return (int)response.StatusCode;
    }
}
