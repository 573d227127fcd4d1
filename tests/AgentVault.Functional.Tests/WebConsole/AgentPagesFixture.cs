using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using AgentVault.Testing.WebConsole;

namespace AgentVault.Functional.Tests.WebConsole;

/// <summary>
/// A broker with vault <c>dev</c> (one bearer service on the HTTPS test upstream) for the agent and token pages: signs in a
/// console client and checks a token the way an agent uses it (CONNECT through the proxy, then a request inside the tunnel).
/// </summary>
public sealed partial class AgentPagesFixture : IAsyncLifetime
{
    public const string Host = "api.upstream.test";
    public const string Secret = "sk-console-pages-SECRET-5d2e";

    private BrokerEnvironment? _environment;
    private TestUpstream? _upstream;

    public BrokerEnvironment Broker => _environment ?? throw new InvalidOperationException("not started");

    private string Authority => $"{Host}:{_upstream!.Port}";

    public async Task InitializeAsync()
    {
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Console Pages CA", Hosts = [Host] });
        _upstream = Broker.Own(await TestUpstream.StartAsync(Broker.UpstreamCa));
        await Broker.PutSecretsAsync(("api", Secret));
        CliAssert.Ok(await Broker.ApplyAsync($$"""
            vaults:
              - name: dev
                credentials: { API_KEY: "local:api" }
                services:
                  - name: api
                    host: "{{Authority}}"
                    auth: { type: bearer, token: API_KEY }
              - name: ops
            """));
    }

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }

    /// <summary>A console client signed in with the admin token.</summary>
    public async Task<ConsoleClient> SignedInAsync()
    {
        var console = new ConsoleClient(Broker.Process.ApiUrl);
        using var signIn = await console.SignInAsync(Broker.Process.AdminToken);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return console;
    }

    /// <summary>The status an agent gets for CONNECT with <paramref name="token"/>, or, once the tunnel is up, for a GET inside it.</summary>
    public async Task<int> ProxyStatusAsync(string token, string vault = "dev")
    {
        await using var client = await RawProxyClient.ConnectAsync(Broker.ProxyUri);
        var connect = await client.ConnectAsync(Authority, RawProxyClient.Basic(token, vault));
        if (connect.Status != 200)
        {
            return connect.Status;
        }

        await client.StartTlsAsync(Host, (certificate, errors) => TestCertificateAuthority.ValidateWithRoot(Broker.Ca, certificate, errors));
        return (await client.SendAsync("GET", "/echo/console", [("Host", Authority)])).Status;
    }

    /// <summary>GET <c>/v1/tokens</c> as the admin: the token records (never a value).</summary>
    public async Task<List<JsonElement>> TokenRecordsAsync()
    {
        using var api = Broker.Process.CreateApiClient();
        using var json = JsonDocument.Parse(await api.GetStringAsync(new Uri("/v1/tokens", UriKind.Relative)));
        return [.. json.RootElement.EnumerateArray().Select(t => t.Clone())];
    }

    /// <summary>The token a page shows once, or null.</summary>
    public static string? ShownToken(string html) => ShownTokenPattern().Match(html) is { Success: true } match ? match.Groups[1].Value : null;

    /// <summary>The texts of the page's alerts (errors), decoded.</summary>
    public static string Alerts(string html) => string.Join("\n", AlertPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));

    /// <summary>The texts of the page's status messages, decoded.</summary>
    public static string Statuses(string html) => string.Join("\n", StatusPattern().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)));

    [GeneratedRegex("<pre class=\"snippet\" id=\"once-token\">(avt_[A-Za-z0-9_-]+)</pre>")]
    private static partial Regex ShownTokenPattern();

    [GeneratedRegex("role=\"alert\">([^<]*)<")]
    private static partial Regex AlertPattern();

    [GeneratedRegex("role=\"status\">([^<]*)<")]
    private static partial Regex StatusPattern();
}
