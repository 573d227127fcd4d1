using System.Text.Json.Nodes;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// A real broker (<c>--resolve git.upstream.test:127.0.0.1 --upstream-ca test-ca.pem</c>) in front of a <see cref="TestUpstream"/> with <see cref="GitEndpoints"/>
/// holding one bare repository, with two services on the git host: <c>/basic/**</c> injects basic auth, <c>/bearer/**</c> a bearer token.
/// </summary>
public sealed class GitCloneFixture : IAsyncLifetime
{
    public const string GitUser = "x-access-token";
    public const string GitToken = "ghs_functional-GIT-SECRET-7c6b5a";
    public const string ReadmeText = "cloned through agent-vault\n";

    private BrokerEnvironment? _environment;
    private GitEndpoints? _git;
    private TestUpstream? _upstream;
    private string _workDir = string.Empty;

    public BrokerEnvironment Environment => _environment ?? throw new InvalidOperationException("not started");

    public TestCertificateAuthority UpstreamCa => Environment.UpstreamCa;

    public BrokerProcess Broker => Environment.Process;

    public GitEndpoints Git => _git ?? throw new InvalidOperationException("not started");

    public TestUpstream Upstream => _upstream ?? throw new InvalidOperationException("not started");

    public string Token { get; private set; } = string.Empty;

    public string WorkDir => _workDir;

    public string RepoUrl(string auth) => $"https://git.upstream.test:{Upstream.Port}/{auth}/repo.git";

    public async Task InitializeAsync()
    {
        _workDir = Directory.CreateTempSubdirectory("agent-vault-git-").FullName;
        var root = Path.Combine(_workDir, "repos");
        await CreateRepositoryAsync(Path.Combine(_workDir, "seed"), Path.Combine(root, "repo.git"));
        _environment = await BrokerEnvironment.StartAsync(new BrokerEnvironmentOptions { UpstreamCaName = "Git Upstream CA", Hosts = ["git.upstream.test"] });
        _git = new GitEndpoints(root, GitUser, GitToken);
        _upstream = Environment.Own(await TestUpstream.StartAsync(UpstreamCa, endpoints: _git.Map));
        await Environment.PutSecretsAsync(("git-user", GitUser), ("git-token", GitToken));
        Token = (await Environment.ApplyAndGetTokensAsync(JsonNode.Parse(Config(Upstream.Port))!))["coder"];
    }

    public async Task DisposeAsync()
    {
        if (_environment is not null)
        {
            await _environment.DisposeAsync();
        }

        Directory.Delete(_workDir, recursive: true);
    }

    private static async Task CreateRepositoryAsync(string seed, string bare)
    {
        Directory.CreateDirectory(seed);
        await File.WriteAllTextAsync(Path.Combine(seed, "README.md"), ReadmeText);
        foreach (var args in new[]
        {
            new[] { "init", "-q", "-b", "main", seed },
            ["-C", seed, "add", "README.md"],
            ["-C", seed, "-c", "user.name=Test", "-c", "user.email=test@example.test", "commit", "-q", "-m", "first"],
            ["clone", "-q", "--bare", seed, bare],
        })
        {
            var result = await ClientProcess.RunAsync("git", args);
            Assert.True(result.ExitCode == 0, "git " + string.Join(' ', args) + "\n" + result);
        }
    }

    private static string Config(int port) => $$$"""
    {
      "vaults": [{
        "name": "dev",
        "unmatched": "deny",
        "credentials": { "GIT_USER": "local:git-user", "GIT_TOKEN": "local:git-token" },
        "services": [
          { "name": "git-basic", "host": "git.upstream.test:{{{port}}}/basic/**", "auth": { "type": "basic", "username": "GIT_USER", "password": "GIT_TOKEN" } },
          { "name": "git-bearer", "host": "git.upstream.test:{{{port}}}/bearer/**", "auth": { "type": "bearer", "token": "GIT_TOKEN" } }
        ]
      }],
      "agents": [{ "name": "coder", "vaults": ["dev"] }]
    }
    """;
}
