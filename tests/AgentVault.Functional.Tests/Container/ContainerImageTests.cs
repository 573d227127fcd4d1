using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentVault.Functional.Tests.ControlPlane;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;
using Xunit.Abstractions;

namespace AgentVault.Functional.Tests.Container;

/// <summary>
/// The image built from <c>./Dockerfile</c> (on a base without any shell) run as an operator runs it: not --dev, the master
/// password from the environment, <c>/data</c> a fresh volume, the image's own listen addresses (all interfaces) on free
/// loopback ports; one HTTPS request proxied through it to a local upstream gets the credential from the image's file-store
/// plugin, the broker runs as a non-root user, and the image's exec-form health check passes.
/// </summary>
public sealed partial class ContainerImageTests(ITestOutputHelper output)
{
    private const string Secret = "container-upstream-key-7f3a";
    private const string MasterPassword = "container test master password";

    [ContainerFact]
    public async Task ProxiedRequest_GetsTheCredentialInjected_ByANonRootBrokerInTheImage()
    {
        var image = ContainerImage.Name;
        using var upstreamCa = new TestCertificateAuthority("Container Upstream CA");
        await using var upstream = await RecordingUpstream.StartAsync(upstreamCa);
        var (apiPort, proxyPort) = (UnusedPort(), UnusedPort());
        var volume = "agent-vault-test-data-" + Guid.NewGuid().ToString("N")[..10];

        try
        {
            await using var container = PodmanContainer.Start(
                image,
                [
                    "-v", volume + ":/data",
                    "-v", upstreamCa.PemPath + ":/run/upstream-ca.pem:ro",
                    "-e", "AGENT_VAULT_MASTER_PASSWORD",
                    "-e", $"AGENT_VAULT_API_LISTEN=0.0.0.0:{apiPort}",
                    "-e", $"AGENT_VAULT_PROXY_LISTEN=0.0.0.0:{proxyPort}",
                ],
                ["server", "--upstream-ca", "/run/upstream-ca.pem", "--resolve", "api.upstream.test:127.0.0.1", "--allow-network", "127.0.0.1/32"],
                new Dictionary<string, string?> { ["AGENT_VAULT_MASTER_PASSWORD"] = MasterPassword });
            var adminToken = await container.WaitForStdoutAsync(AdminTokenLine(), TimeSpan.FromSeconds(90));
            await container.WaitForStdoutAsync(ProxyLine(), TimeSpan.FromSeconds(30));
            output.WriteLine(container.Output.Replace(adminToken, "ava_…", StringComparison.Ordinal));

            var cli = new CliRunner(new Dictionary<string, string?>
            {
                ["AGENT_VAULT_ADDR"] = $"http://127.0.0.1:{apiPort}",
                ["AGENT_VAULT_ADMIN_TOKEN"] = adminToken,
                ["HOME"] = Path.GetTempPath(),
            });
            var tokens = await ApplyAsync(cli, upstream.Port);
            CliAssert.Ok(await cli.RunAsync(["secret", "set", "local:upstream"], stdin: Secret));

            using var client = await AgentClientAsync(apiPort, proxyPort, tokens.GetProperty("container-agent").GetString()!);
            using var response = await client.GetAsync(new Uri($"https://api.upstream.test:{upstream.Port}/through-the-container"));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["Bearer " + Secret], upstream.AuthorizationsFor("/through-the-container"));
            Assert.Equal(["10001"], UserIds(await container.HostPidAsync()).Distinct());
            var health = await PodmanContainer.PodmanAsync("healthcheck", "run", container.Name);
            Assert.True(health.ExitCode == 0, health.ToString());
        }
        finally
        {
            await PodmanContainer.PodmanAsync("volume", "rm", "--force", volume);
        }
    }

    [ContainerFact]
    public async Task Image_ReportsVersionAndCommit_AndHasNoShell()
    {
        var image = ContainerImage.Name;

        var version = await ClientProcess.RunAsync("podman", PodmanContainer.RunArguments([], image, ["version", "--json"]), timeout: TimeSpan.FromSeconds(60));
        var shell = await ClientProcess.RunAsync("podman", PodmanContainer.RunArguments(["--entrypoint", "/bin/sh"], image, ["-c", "true"]), timeout: TimeSpan.FromSeconds(60));

        Assert.True(version.ExitCode == 0, version.ToString());
        using var json = JsonDocument.Parse(version.StdOut);
        Assert.Equal("0.0.0-test", json.RootElement.GetProperty("version").GetString());
        Assert.Matches("^[0-9a-f]{40}$", json.RootElement.GetProperty("commit").GetString());
        Assert.NotEqual(0, shell.ExitCode);
    }

    private static async Task<JsonElement> ApplyAsync(CliRunner cli, int upstreamPort)
    {
        var file = Path.Combine(Path.GetTempPath(), "agent-vault-container-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        await File.WriteAllTextAsync(file, $$"""
            stores:
              - name: local
                type: file
            vaults:
              - name: dev
                credentials:
                  UPSTREAM_KEY: "local:upstream"
                services:
                  - name: upstream
                    host: "api.upstream.test:{{upstreamPort}}"
                    auth: { type: bearer, token: UPSTREAM_KEY }
            agents:
              - name: container-agent
                vaults: [dev]
            """);
        try
        {
            var applied = CliAssert.Ok(await cli.RunAsync("apply", "-f", file, "--json"));
            using var answer = JsonDocument.Parse(applied.Stdout);
            var tokens = answer.RootElement.GetProperty("tokens").EnumerateArray()
                .ToDictionary(t => t.GetProperty("agent").GetString()!, t => t.GetProperty("token").GetString());
            return JsonSerializer.SerializeToElement(tokens);
        }
        finally
        {
            File.Delete(file);
        }
    }

    // The agent's client: the container's proxy with the agent's token, trusting only the CA the container serves.
    private static async Task<HttpClient> AgentClientAsync(int apiPort, int proxyPort, string token)
    {
        using var api = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var pem = await api.GetStringAsync(new Uri($"http://127.0.0.1:{apiPort}/v1/ca.pem"));
        var ca = X509Certificate2.CreateFromPem(pem);
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy(new Uri($"http://127.0.0.1:{proxyPort}")) { Credentials = new NetworkCredential(token, "dev") },
            UseProxy = true,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TestCertificateAuthority.ValidateWithRoot(ca, certificate, errors);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    // Real, effective, saved and file-system user ids of a process (the Uid: line of /proc/PID/status).
    private static string[] UserIds(int pid) =>
        File.ReadAllLines($"/proc/{pid}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal))
            .Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[1..];

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"admin token: (ava_\S+)")]
    private static partial Regex AdminTokenLine();

    [GeneratedRegex(@"(proxy listening on \S+)")]
    private static partial Regex ProxyLine();
}
