using System.Security.Cryptography;
using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Fakes.GitHub;

namespace AgentVault.Functional.Tests.AuthSchemes.GitHubApp;

/// <summary>
/// The real broker with a <c>github-app</c> service for a fake GitHub (HTTPS, per-run test CA, pinned to 127.0.0.1 with
/// <c>--resolve</c>). The app's private key is in the file store; a second service uses a key of another app.
/// </summary>
public sealed class GitHubAppBrokerFixture : IAsyncLifetime
{
    public const string Vault = "gh";
    public const string Host = "api.github.test";
    public const string WrongKeyHost = "wrong.github.test";
    public const string GitHost = "github.test";

    private BrokerEnvironment? _environment;
    private FakeGitHubServer? _github;

    public BrokerEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public BrokerProcess Broker => Environment.Process;

    public FakeGitHubServer GitHub => _github ?? throw new InvalidOperationException("not started");

    public string Token { get; private set; } = string.Empty;

    public string Url(string host, string path) => $"https://{host}:{GitHub.Port}{path}";

    public async Task InitializeAsync()
    {
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions
        {
            UpstreamCaName = "Fake GitHub Test CA",
            Hosts = [Host, WrongKeyHost, GitHost],
            Arguments = ["--allow-network", "127.0.0.0/8"],

            // Debug level, so the leak checks cover every log line the broker can write.
            DebugLog = true,
        });
        _github = Environment.Own(await FakeGitHubServer.StartAsync(Environment.UpstreamCa, names: [Host, WrongKeyHost, GitHost, "127.0.0.1"]));
        using var other = RSA.Create(2048);
        await Environment.PutSecretsAsync(("github-app-key", GitHub.PrivateKeyPem), ("other-app-key", other.ExportRSAPrivateKeyPem()));
        Token = (await Environment.ApplyAndGetTokensAsync(JsonNode.Parse(Config())!))["gh-agent"];
    }

    /// <summary>Runs <c>curl ARGS</c> as the agent through <c>agent-vault run</c>, with a dummy GitHub token of its own.</summary>
    public Task<CliResult> CurlAsync(params string[] args) =>
        Environment.AgentCli(Token, Vault).RunAsync(["run", "--", "curl", "-sS", "-H", "Authorization: token agent-dummy-token", .. args], stdin: null, timeout: TimeSpan.FromSeconds(60));

    /// <summary>Runs <c>git ARGS</c> as the agent through <c>agent-vault run</c>, with no credential and no prompt.</summary>
    public Task<CliResult> GitAsync(params string[] args)
    {
        var agent = Environment.AgentCli(Token, Vault)
            .With("GIT_TERMINAL_PROMPT", "0").With("GIT_CONFIG_NOSYSTEM", "1").With("GIT_ASKPASS", null).With("SSH_ASKPASS", null);
        return agent.RunAsync(["run", "--", "git", .. args], stdin: null, timeout: TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }
    }

    private string Config() => $$"""
    {
      "vaults": [{
        "name": "{{Vault}}",
        "credentials": { "GITHUB_APP_KEY": "local:github-app-key", "OTHER_APP_KEY": "local:other-app-key" },
        "services": [
          { "name": "github", "host": "{{Host}}:{{GitHub.Port}}",
            "auth": { "type": "github-app", "app_id": {{FakeGitHubServer.AppId}}, "installation_id": {{FakeGitHubServer.InstallationId}},
                      "private_key": "GITHUB_APP_KEY", "api_url": "https://{{Host}}:{{GitHub.Port}}",
                      "repositories": ["docs", "hello-world"], "permissions": { "contents": "read", "issues": "write" } } },
          { "name": "git", "host": "{{GitHost}}:{{GitHub.Port}}",
            "auth": { "type": "github-app", "app_id": {{FakeGitHubServer.AppId}}, "installation_id": {{FakeGitHubServer.InstallationId}},
                      "private_key": "GITHUB_APP_KEY", "api_url": "https://{{Host}}:{{GitHub.Port}}", "auth_header": "basic",
                      "repositories": ["hello-world"], "permissions": { "contents": "read" } } },
          { "name": "wrong-key", "host": "{{WrongKeyHost}}:{{GitHub.Port}}",
            "auth": { "type": "github-app", "app_id": "{{FakeGitHubServer.AppId}}", "installation_id": "{{FakeGitHubServer.InstallationId}}",
                      "private_key": "OTHER_APP_KEY", "api_url": "https://{{WrongKeyHost}}:{{GitHub.Port}}" } }
        ]
      }],
      "agents": [{ "name": "gh-agent", "vaults": ["{{Vault}}"] }]
    }
    """;
}
