using System.Text.Json;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Proxy;

/// <summary>
/// <c>agent-vault run -- node</c> with the machine's node (20 here, which ignores NODE_USE_ENV_PROXY): the NODE_OPTIONS
/// preload sends <c>fetch</c> and the <c>https</c> module through the broker, and leaves NO_PROXY hosts alone.
/// Without the preload these requests would go straight to <c>api.upstream.test</c>, a name only the broker resolves.
/// </summary>
public sealed class NodeRunTests(ProxyBrokerFixture fixture) : IClassFixture<ProxyBrokerFixture>
{
    // argv: the upstream's base URL through the broker, then a plain-HTTP base URL on 127.0.0.1 (in run's NO_PROXY).
    // Prints one JSON object: each request's status and the upstream's echo.
    private const string Script = """
        const https = require('https');
        const http = require('http');
        const [base, direct] = process.argv.slice(1);
        const dummy = { authorization: 'Bearer agent-dummy' };
        function get(module, url) {
          return new Promise((resolve, reject) => {
            module.get(url, { headers: dummy }, res => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', c => body += c);
              res.on('end', () => resolve({ status: res.statusCode, echo: JSON.parse(body) }));
            }).on('error', reject);
          });
        }
        (async () => {
          const out = { node: process.version };
          const posted = await fetch(base + '/echo/node/fetch', {
            method: 'POST', headers: { ...dummy, 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'fetch' }) });
          out.fetch = { status: posted.status, echo: await posted.json() };
          const chunks = ['streamed-', 'body-', 'in-three'];
          const stream = new ReadableStream({ pull(c) { const next = chunks.shift(); if (next) c.enqueue(new TextEncoder().encode(next)); else c.close(); } });
          const streamed = await fetch(base + '/echo/node/stream', { method: 'PUT', headers: dummy, body: stream, duplex: 'half' });
          out.stream = { status: streamed.status, echo: await streamed.json() };
          const large = await fetch(base + '/large?bytes=3000000');
          let length = 0;
          for await (const chunk of large.body) length += chunk.byteLength;
          out.large = { status: large.status, length };
          out.https = await get(https, base + '/echo/node/https');
          const controller = new AbortController();
          const events = await fetch(base + '/sse', { signal: controller.signal });
          const reader = events.body.getReader();
          out.sseFirst = new TextDecoder().decode((await reader.read()).value);
          controller.abort();
          out.sseAfterAbort = await reader.read().then(() => 'still reading', e => e.name);
          const axios = require('axios');
          const viaAxios = await axios.post(base + '/echo/node/axios', { hello: 'axios' }, { headers: dummy });
          out.axios = { status: viaAxios.status, echo: viaAxios.data };
          // The AWS SDK's HTTP handler makes its own keep-alive https.Agent (and reads no proxy variables itself).
          const { NodeHttpHandler } = require('@smithy/node-http-handler');
          const { HttpRequest } = require('@smithy/protocol-http');
          const target = new URL(base);
          const { response } = await new NodeHttpHandler().handle(new HttpRequest({
            protocol: 'https:', hostname: target.hostname, port: Number(target.port), method: 'GET', path: '/echo/node/aws-sdk',
            headers: { ...dummy, host: target.host } }));
          let awsBody = '';
          for await (const chunk of response.body) awsBody += chunk;
          out.awsSdk = { status: response.statusCode, echo: JSON.parse(awsBody) };
          const direct1 = await fetch(direct + '/echo/direct/fetch', { headers: dummy });
          out.directFetch = { status: direct1.status, echo: await direct1.json() };
          out.directHttp = await get(http, direct + '/echo/direct/http');
          console.log(JSON.stringify(out));
        })().catch(e => { console.error('node script failed:', e, e && e.cause); process.exit(1); });
        """;

    /// <summary>The node to run: the machine's, or AGENT_VAULT_TEST_NODE (to try another version by hand).</summary>
    private static string Node => Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_NODE") ?? "node";

    private static string NodeModules =>
        Environment.GetEnvironmentVariable("AGENT_VAULT_TEST_NODE_MODULES") ?? Path.Combine(TestPaths.RepoRoot, "tests", "node", "node_modules");

    [Fact]
    public async Task RunNode_FetchAndHttpsGoThroughTheBroker_NoProxyHostsDoNot()
    {
        await using var direct = await TestUpstream.StartAsync(ca: null);
        var agent = fixture.Environment.AgentCli(fixture.Token, "dev").With("NODE_PATH", NodeModules);

        var result = await agent.RunAsync("run", "--", Node, "-e", Script, $"https://api.upstream.test:{fixture.Upstream.Port}", $"http://127.0.0.1:{direct.Port}");

        Assert.True(result.ExitCode == 0, result + "\n" + fixture.Broker.Stderr);
        using var document = JsonDocument.Parse(result.Stdout);
        var root = document.RootElement;

        var posted = root.GetProperty("fetch");
        Assert.Equal(200, posted.GetProperty("status").GetInt32());
        AssertInjected(posted.GetProperty("echo"));
        Assert.Equal("POST", posted.GetProperty("echo").GetProperty("method").GetString());
        Assert.Equal("{\"hello\":\"fetch\"}", posted.GetProperty("echo").GetProperty("body").GetString());

        var streamed = root.GetProperty("stream");
        Assert.Equal(200, streamed.GetProperty("status").GetInt32());
        AssertInjected(streamed.GetProperty("echo"));
        Assert.Equal("streamed-body-in-three", streamed.GetProperty("echo").GetProperty("body").GetString());

        Assert.Equal(200, root.GetProperty("large").GetProperty("status").GetInt32());
        Assert.Equal(3_000_000, root.GetProperty("large").GetProperty("length").GetInt32());

        var viaHttps = root.GetProperty("https");
        Assert.Equal(200, viaHttps.GetProperty("status").GetInt32());
        AssertInjected(viaHttps.GetProperty("echo"));

        // Aborting a fetch mid-body ends the read with an AbortError.
        Assert.Contains("data: first", root.GetProperty("sseFirst").GetString(), StringComparison.Ordinal);
        Assert.Equal("AbortError", root.GetProperty("sseAfterAbort").GetString());

        foreach (var library in new[] { "axios", "awsSdk" })
        {
            var reply = root.GetProperty(library);
            Assert.Equal(200, reply.GetProperty("status").GetInt32());
            AssertInjected(reply.GetProperty("echo"));
        }

        Assert.Contains("POST /echo/node/fetch", fixture.Upstream.Received);
        Assert.Contains("PUT /echo/node/stream", fixture.Upstream.Received);
        Assert.Contains("GET /echo/node/https", fixture.Upstream.Received);

        // 127.0.0.1 is in NO_PROXY: those requests reach the plain upstream directly, with the agent's own header
        // (through the broker they would have been refused: the vault denies hosts it has no service for).
        foreach (var name in new[] { "directFetch", "directHttp" })
        {
            var reply = root.GetProperty(name);
            Assert.Equal(200, reply.GetProperty("status").GetInt32());
            Assert.Equal("Bearer agent-dummy", reply.GetProperty("echo").GetProperty("headers").GetProperty("authorization").GetString());
        }

        Assert.Contains("GET /echo/direct/fetch", direct.Received);
        Assert.Contains("GET /echo/direct/http", direct.Received);
    }

    [Fact]
    public async Task RunNode_WithTheCallersNodeOptions_KeepsThemAndAddsThePreload()
    {
        var agent = fixture.Environment.AgentCli(fixture.Token, "dev").With("NODE_OPTIONS", "--max-http-header-size=32768");

        var result = await agent.RunAsync("run", "--", Node, "-e",
            "fetch(process.argv[1]).then(r => r.json()).then(e => console.log(process.env.NODE_OPTIONS + '|' + require('http').maxHeaderSize + '|' + e.headers.authorization))",
            $"https://api.upstream.test:{fixture.Upstream.Port}/echo/node/options");

        Assert.True(result.ExitCode == 0, result.ToString());
        var parts = result.Stdout.Trim().Split('|');
        Assert.StartsWith("--max-http-header-size=32768 --require ", parts[0], StringComparison.Ordinal);
        Assert.Equal("32768", parts[1]);
        Assert.Equal("Bearer " + ProxyBrokerFixture.Secret, parts[2]);
    }

    private static void AssertInjected(JsonElement echo)
    {
        var authorization = echo.GetProperty("headers").GetProperty("authorization").GetString();
        Assert.Equal("Bearer " + ProxyBrokerFixture.Secret, authorization);
        Assert.DoesNotContain("agent-dummy", echo.GetRawText(), StringComparison.Ordinal);
    }
}
