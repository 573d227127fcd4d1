using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.GitHub;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// The real broker with the fake GitHub API as <c>api.github.test</c> (pinned to 127.0.0.1, its test CA trusted): the app's
/// private key in the file store and one <c>github-app</c> service for the API host, whose token endpoint is the same fake
/// (it verifies the app JWT with the app's public key). The agent is curl run through <c>agent-vault run</c>.
/// </summary>
public sealed class GitHubAppFixture : IAsyncLifetime
{
    public const string Vault = "gh";
    public const string Host = "api.github.test";

    private BrokerProcess? _broker;
    private FakeGitHubServer? _github;

    public TestCertificateAuthority Ca { get; } = new("GitHub Fake Test CA");

    public BrokerProcess Broker => _broker ?? throw new InvalidOperationException("not started");

    public FakeGitHubServer GitHub => _github ?? throw new InvalidOperationException("not started");

    public string Token { get; private set; } = string.Empty;

    public string Url(string path) => $"https://{Host}:{GitHub.Port}{path}";

    /// <summary>Runs <c>curl ARGS URL</c> as the agent through <c>agent-vault run</c>.</summary>
    public Task<CliResult> CurlAsync(string path, params string[] args) =>
        Broker.Cli.With("AGENT_VAULT_TOKEN", Token).With("AGENT_VAULT_VAULT", Vault).With("AGENT_VAULT_ADMIN_TOKEN", null)
            .RunAsync(["run", "--", "curl", "-sS", "--fail-with-body", "-H", "Authorization: token agent-dummy", .. args, Url(path)]);

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubServer.StartAsync(Ca);
        _broker = await BrokerProcess.StartAsync(new BrokerOptions
        {
            Arguments = ["--resolve", $"{Host}:127.0.0.1", "--upstream-ca", Ca.PemPath],
            Environment = new Dictionary<string, string?> { ["Logging__LogLevel__Default"] = "Debug" },
        });
        using var api = Broker.CreateApiClient();
        (await api.PutAsJsonAsync("/v1/stores/local/secrets/github-app-key", new { value = GitHub.PrivateKeyPem })).EnsureSuccessStatusCode();
        var config = new JsonObject
        {
            ["vaults"] = new JsonArray(new JsonObject
            {
                ["name"] = Vault,
                ["credentials"] = new JsonObject { ["GITHUB_APP_KEY"] = "local:github-app-key" },
                ["services"] = new JsonArray(new JsonObject
                {
                    ["name"] = "github",
                    ["host"] = $"{Host}:{GitHub.Port}",
                    ["auth"] = new JsonObject
                    {
                        ["type"] = "github-app",
                        ["app_id"] = FakeGitHubServer.AppId,
                        ["installation_id"] = FakeGitHubServer.InstallationId,
                        ["private_key"] = "GITHUB_APP_KEY",
                        ["api_url"] = Url(string.Empty),
                        ["repositories"] = new JsonArray("hello-world"),
                        ["permissions"] = new JsonObject { ["contents"] = "read" },
                    },
                }),
            }),
            ["agents"] = new JsonArray(new JsonObject { ["name"] = "gh-agent", ["vaults"] = new JsonArray(Vault) }),
        };
        var apply = await api.PostAsync("/v1/apply", JsonContent.Create(config));
        var applied = JsonDocument.Parse(await apply.Content.ReadAsStringAsync());
        Assert.True(apply.IsSuccessStatusCode, applied.RootElement.ToString());
        Token = applied.RootElement.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("agent").GetString() == "gh-agent").GetProperty("token").GetString()!;
    }

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        if (_github is not null)
        {
            await _github.DisposeAsync();
        }

        Ca.Dispose();
    }
}
