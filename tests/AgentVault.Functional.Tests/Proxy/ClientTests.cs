using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>Real clients through the real broker process: the upstream receives the credential the agent never had.</summary>
public sealed class ClientTests(ProxyBrokerFixture fixture) : IClassFixture<ProxyBrokerFixture>
{
    private string Url(string path) => $"https://api.upstream.test:{fixture.Upstream.Port}{path}";

    private static string NodeModules =>
        Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_NODE_MODULES") ?? Path.Combine(TestPaths.RepoRoot, "tests", "node", "node_modules");

    [Theory]
    [InlineData("curl-http1.1")]
    [InlineData("curl-http2")]
    [InlineData("python-requests")]
    [InlineData("node-https")]
    public async Task Client_ThroughBroker_UpstreamReceivesInjectedCredential(string client)
    {
        var url = Url("/echo/client/" + client);
        var proxy = fixture.ProxyUrlWithCredentials;
        var result = client switch
        {
            "curl-http1.1" or "curl-http2" => await ClientProcess.RunAsync("curl", [
                "-sS", "--fail-with-body", client == "curl-http2" ? "--http2" : "--http1.1", "--proxy", proxy, "--cacert", fixture.BrokerCaPath,
                "-H", "Authorization: Bearer agent-dummy", url]),
            "python-requests" => await ClientProcess.RunAsync("/usr/bin/python3", ["-c",
                "import os, requests, sys; r = requests.get(sys.argv[1], headers={'Authorization': 'Bearer agent-dummy'}); print(r.status_code); print(r.text)", url],
                new Dictionary<string, string?> { ["HTTPS_PROXY"] = proxy, ["REQUESTS_CA_BUNDLE"] = fixture.BrokerCaPath }),
            _ => await ClientProcess.RunAsync("node", ["-e", """
                const https = require('https'); const fs = require('fs'); const { HttpsProxyAgent } = require('https-proxy-agent');
                const agent = new HttpsProxyAgent(process.env.HTTPS_PROXY, { ca: fs.readFileSync(process.env.NODE_EXTRA_CA_CERTS) });
                https.get(process.argv[1], { agent, headers: { authorization: 'Bearer agent-dummy' } }, res => {
                  let body = ''; res.on('data', c => body += c); res.on('end', () => { console.log(res.statusCode); console.log(body); });
                }).on('error', e => { console.error(e.message); process.exit(1); });
                """, url],
                new Dictionary<string, string?> { ["HTTPS_PROXY"] = proxy, ["NODE_EXTRA_CA_CERTS"] = fixture.BrokerCaPath, ["NODE_PATH"] = NodeModules }),
        };

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);
        Assert.Contains("\"authorization\":\"Bearer " + ProxyBrokerFixture.Secret + "\"", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("agent-dummy", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentVaultRun_Curl_UsesTheBrokerWithNoOtherSetup()
    {
        var agent = fixture.Broker.Cli.With("AGENT_VAULT_TOKEN", fixture.Token).With("AGENT_VAULT_VAULT", "dev").With("AGENT_VAULT_ADMIN_TOKEN", null);
        var result = await agent.RunAsync("run", "--", "curl", "-sS", "--fail-with-body", Url("/echo/run"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"authorization\":\"Bearer " + ProxyBrokerFixture.Secret + "\"", result.Stdout, StringComparison.Ordinal);
    }
}
