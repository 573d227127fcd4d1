using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.Tests.OAuth2;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Fakes.GitHub;
using AgentVault.Testing.Upstream;
using AgentVault.Plugins.GitHubApp;
using Microsoft.Extensions.Time.Testing;

namespace AgentVault.Plugins.Tests.GitHubApp;

/// <summary>A fake GitHub on a fake clock, and helpers to create the scheme against it and call its API with a token.</summary>
internal sealed class GitHubAppFixture : IAsyncDisposable
{
    public const string KeyName = "GITHUB_APP_KEY";

    private readonly TestCertificateAuthority _ca;

    private GitHubAppFixture(TestCertificateAuthority ca, FakeGitHubServer server, FakeTimeProvider time)
    {
        _ca = ca;
        Server = server;
        Time = time;
    }

    public FakeGitHubServer Server { get; }

    public FakeTimeProvider Time { get; }

    public CapturingLoggerFactory Logs { get; } = new();

    public static async Task<GitHubAppFixture> StartAsync()
    {
        var ca = new TestCertificateAuthority();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var server = await FakeGitHubServer.StartAsync(ca, time);
        return new GitHubAppFixture(ca, server, time);
    }

    public static IAuthSchemeFactory Factory() => SchemeHarness.Factory(new GitHubAppPlugin(), "github-app");

    public JsonObject Settings(JsonNode? appId = null) => new()
    {
        ["app_id"] = appId ?? JsonValue.Create(FakeGitHubServer.AppId),
        ["installation_id"] = FakeGitHubServer.InstallationId,
        ["private_key"] = KeyName,
        ["api_url"] = Server.ApiUrl.ToString(),
    };

    public MapCredentials Credentials(string? pem = null) => new(new Dictionary<string, string> { [KeyName] = pem ?? Server.PrivateKeyPem });

    public HttpClient CreateClient(DelegatingHandler? outer = null) => FakeGitHubServer.CreateClient(_ca, outer);

    public IAuthScheme Create(JsonObject settings, HttpClient client) => SchemeHarness.Create(Factory(), settings, client, Logs, Time);

    /// <summary>Calls the fake's API with the Authorization header the scheme set; returns the status and JSON body.</summary>
    public async Task<(int Status, JsonElement Body)> CallApiAsync(HttpRequestMessage authorized, string path)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.ApiUrl, path));
        request.Headers.Authorization = authorized.Headers.Authorization is { } a ? new AuthenticationHeaderValue(a.Scheme, a.Parameter) : null;
        using var response = await client.SendAsync(request);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _ca.Dispose();
    }
}
