using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Testing.Upstream;
using Xunit;

namespace AgentVault.Testing.Broker;

/// <summary>
/// The one broker test environment: a per-run upstream CA, the real broker (<c>server --dev</c>) with upstream host names
/// pinned to 127.0.0.1 (<c>--resolve</c>) and that CA trusted (<c>--upstream-ca</c>), the broker's own CA fetched, and the
/// steps every fixture repeats (secrets, <c>apply</c>, agents) plus agents' clients (HttpClient, curl, <c>agent-vault run</c>)
/// going through its proxy and trusting its CA. Upstreams and fakes started for it are handed to <see cref="Own{T}"/> and
/// disposed with it, after the broker.
/// </summary>
public sealed class BrokerEnvironment : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private BrokerEnvironment(TestCertificateAuthority upstreamCa, BrokerProcess process, string caPath)
    {
        UpstreamCa = upstreamCa;
        Process = process;
        CaPath = caPath;
        Ca = X509CertificateLoader.LoadCertificateFromFile(caPath);
    }

    /// <summary>The per-run CA that issues upstream certificates (for <c>*.upstream.test</c>, fakes, …); the broker trusts it.</summary>
    public TestCertificateAuthority UpstreamCa { get; }

    public BrokerProcess Process { get; }

    /// <summary>The broker's CA certificate (what agents trust) as a PEM file.</summary>
    public string CaPath { get; }

    public X509Certificate2 Ca { get; }

    /// <summary>The proxy listener, e.g. <c>http://127.0.0.1:41235/</c>.</summary>
    public Uri ProxyUri => Process.ProxyUri;

    /// <summary>Creates the upstream CA, starts the broker with <paramref name="options"/> and fetches the broker's CA.</summary>
    public static async Task<BrokerEnvironment> StartAsync(BrokerEnvironmentOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new BrokerEnvironmentOptions();
        var upstreamCa = new TestCertificateAuthority(options.UpstreamCaName);
        var arguments = new List<string> { "--upstream-ca", upstreamCa.PemPath };
        foreach (var ca in options.MoreUpstreamCaFiles)
        {
            arguments.AddRange(["--upstream-ca", ca]);
        }

        foreach (var host in options.Hosts)
        {
            arguments.AddRange(["--resolve", host + ":127.0.0.1"]);
        }

        arguments.AddRange(options.Arguments);
        var environment = new Dictionary<string, string?>(options.Environment);
        if (options.DebugLog)
        {
            environment["Logging__LogLevel__Default"] = "Debug";
        }

        BrokerProcess? process = null;
        try
        {
            process = await BrokerProcess.StartAsync(new BrokerOptions
            {
                Dev = options.Dev,
                MasterPassword = options.MasterPassword,
                Arguments = arguments,
                Environment = environment,
                Log = options.Log,
            }, cancellationToken);
            return new BrokerEnvironment(upstreamCa, process, await process.WriteCaFileAsync());
        }
        catch
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }

            upstreamCa.Dispose();
            throw;
        }
    }

    /// <summary>Hands <paramref name="disposable"/> (an upstream, a fake) to the environment, which disposes it after the broker.</summary>
    public T Own<T>(T disposable)
        where T : IAsyncDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>Writes each value into the <c>--dev</c> file store <c>local</c> under its name (management API).</summary>
    public Task PutSecretsAsync(params (string Name, string Value)[] secrets) => Process.PutLocalSecretsAsync(secrets);

    /// <summary><c>agent-vault apply -f FILE</c> with <paramref name="document"/> (YAML or JSON) written to a file; the CLI's answer as is.</summary>
    public async Task<CliResult> ApplyAsync(string document, params string[] extra)
    {
        var file = Path.Combine(Process.WorkDir, "apply-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        await File.WriteAllTextAsync(file, document);
        return await Process.Cli.RunAsync(["apply", "-f", file, .. extra]);
    }

    /// <summary>Applies <paramref name="document"/> with the CLI (must succeed) and returns the tokens of the agents it created, by agent name.</summary>
    public async Task<Dictionary<string, string>> ApplyAndGetTokensAsync(string document)
    {
        var result = await ApplyAsync(document, "--json");
        Assert.True(result.ExitCode == 0, result + "\n" + document);
        return Tokens(result.Stdout);
    }

    /// <summary>Applies <paramref name="config"/> through the management API (must succeed) and returns the tokens it created, by agent name.</summary>
    public async Task<Dictionary<string, string>> ApplyAndGetTokensAsync(JsonNode config)
    {
        using var api = Process.CreateApiClient();
        using var response = await api.PostAsync(new Uri("/v1/apply", UriKind.Relative), System.Net.Http.Json.JsonContent.Create(config));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"apply failed with {(int)response.StatusCode}: {body}");
        return Tokens(body);
    }

    /// <summary><c>agent-vault agent create NAME --vault VAULT --json</c>; returns the new agent's token.</summary>
    public async Task<string> CreateAgentAsync(string name, string vault)
    {
        var created = await Process.Cli.RunAsync("agent", "create", name, "--vault", vault, "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        using var json = JsonDocument.Parse(created.Stdout);
        return json.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>The proxy URL with the agent's credentials, <c>http://TOKEN:VAULT@127.0.0.1:PORT</c> (HTTPS_PROXY, curl <c>--proxy</c>).</summary>
    public string ProxyUrl(string token, string vault = "dev") => $"http://{token}:{vault}@{ProxyUri.Host}:{ProxyUri.Port}";

    /// <summary>An agent's HttpClient: proxy with <c>token:vault</c> credentials, trusting only the broker's CA, no redirects, no decompression.</summary>
    public HttpClient CreateClient(string token, string vault = "dev", Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy(ProxyUri) { Credentials = new NetworkCredential(token, vault) },
            UseProxy = true,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        var ca = Ca;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TestCertificateAuthority.ValidateWithRoot(ca, certificate, errors);
        return new HttpClient(handler)
        {
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>Runs curl through the proxy as the agent (<paramref name="token"/>:dev), trusting the broker's CA.</summary>
    public Task<ClientProcess.Result> CurlAsync(string token, params string[] arguments) => CurlAsync(token, "dev", arguments);

    /// <summary>Runs curl through the proxy as the agent (<paramref name="token"/>:<paramref name="vault"/>), trusting the broker's CA.</summary>
    public Task<ClientProcess.Result> CurlAsync(string token, string vault, IEnumerable<string> arguments, TimeSpan? timeout = null) =>
        ClientProcess.RunAsync("curl", [
            "-sS", "--max-time", "60", "--proxy", ProxyUri.AbsoluteUri, "--proxy-user", token + ":" + vault, "--cacert", CaPath, .. arguments],
            timeout: timeout);

    /// <summary>The CLI as the agent, for <c>agent-vault run</c>: AGENT_VAULT_TOKEN and AGENT_VAULT_VAULT set, no admin token.</summary>
    public CliRunner AgentCli(string token, string vault) =>
        Process.Cli.With("AGENT_VAULT_TOKEN", token).With("AGENT_VAULT_VAULT", vault).With("AGENT_VAULT_ADMIN_TOKEN", null);

    /// <summary>
    /// Polls <c>agent-vault logs --json</c> until a record matches <paramref name="match"/> (records are written
    /// asynchronously after the response), with a deadline; returns that record.
    /// </summary>
    public async Task<JsonElement> WaitForLogAsync(Func<JsonElement, bool> match, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        CliResult last;
        do
        {
            last = await Process.Cli.RunAsync("logs", "--json", "--limit", "1000");
            Assert.True(last.ExitCode == 0, last.ToString());
            foreach (var line in last.Lines)
            {
                var record = JsonDocument.Parse(line).RootElement.Clone();
                if (match(record))
                {
                    return record;
                }
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < until);

        throw new TimeoutException($"no request-log record for {what}; last output:\n{last}");
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }

        Ca.Dispose();
        UpstreamCa.Dispose();
    }

    private static Dictionary<string, string> Tokens(string applyAnswer)
    {
        using var answer = JsonDocument.Parse(applyAnswer);
        return answer.RootElement.GetProperty("tokens").EnumerateArray()
            .ToDictionary(t => t.GetProperty("agent").GetString()!, t => t.GetProperty("token").GetString()!, StringComparer.Ordinal);
    }
}
