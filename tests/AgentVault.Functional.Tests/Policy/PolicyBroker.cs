using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AgentVault.Testing.Broker;
using AgentVault.Testing.Upstream;

namespace AgentVault.Functional.Tests.Policy;

/// <summary>
/// The real broker process for the policy tests: <c>server --dev</c> with every test host name pinned to 127.0.0.1 by
/// <c>--resolve</c> and the test CA as <c>--upstream-ca</c>; secrets set and configuration applied with the CLI as an
/// operator would; agents' clients (HttpClient, curl) going through its proxy and trusting its CA.
/// </summary>
internal sealed class PolicyBroker : IAsyncDisposable
{
    private PolicyBroker(BrokerProcess process, string caPath, X509Certificate2 ca)
    {
        Process = process;
        CaPath = caPath;
        Ca = ca;
    }

    public BrokerProcess Process { get; }

    /// <summary>The broker's CA certificate as a PEM file (what <c>agent-vault ca fetch</c> wrote).</summary>
    public string CaPath { get; }

    public X509Certificate2 Ca { get; }

    /// <summary>Starts the broker; <paramref name="extraArguments"/> and <paramref name="environment"/> go to <c>agent-vault server</c>.</summary>
    public static async Task<PolicyBroker> StartAsync(TestCertificateAuthority upstreamCa, IEnumerable<string> hosts,
        IEnumerable<string>? extraArguments = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var arguments = new List<string> { "--upstream-ca", upstreamCa.PemPath };
        foreach (var host in hosts)
        {
            arguments.AddRange(["--resolve", host + ":127.0.0.1"]);
        }

        arguments.AddRange(extraArguments ?? []);
        var process = await BrokerProcess.StartAsync(new BrokerOptions
        {
            Arguments = arguments,
            Environment = environment ?? new Dictionary<string, string?>(),
        });
        try
        {
            var caPath = Path.Combine(process.WorkDir, "broker-ca.pem");
            var fetched = await process.Cli.RunAsync("ca", "fetch", "-o", caPath);
            Assert.True(fetched.ExitCode == 0, fetched.ToString());
            return new PolicyBroker(process, caPath, X509CertificateLoader.LoadCertificateFromFile(caPath));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary><c>agent-vault secret set local:NAME</c> with the value on stdin.</summary>
    public async Task SetSecretAsync(string name, string value)
    {
        var result = await Process.Cli.RunAsync(["secret", "set", "local:" + name], stdin: value);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary><c>agent-vault apply -f FILE</c> with <paramref name="yaml"/> written to a file; the CLI's answer as is.</summary>
    public async Task<CliResult> ApplyAsync(string yaml, params string[] extra)
    {
        var file = Path.Combine(Process.WorkDir, "apply-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        await File.WriteAllTextAsync(file, yaml);
        return await Process.Cli.RunAsync(["apply", "-f", file, .. extra]);
    }

    /// <summary>Applies <paramref name="yaml"/> (must succeed) and returns the tokens of the agents it created, by agent name.</summary>
    public async Task<Dictionary<string, string>> ApplyAndGetTokensAsync(string yaml)
    {
        var result = await ApplyAsync(yaml, "--json");
        Assert.True(result.ExitCode == 0, result + "\n" + yaml);
        using var answer = JsonDocument.Parse(result.Stdout);
        return answer.RootElement.GetProperty("tokens").EnumerateArray()
            .ToDictionary(t => t.GetProperty("agent").GetString()!, t => t.GetProperty("token").GetString()!, StringComparer.Ordinal);
    }

    /// <summary>An agent's HttpClient: proxy with <c>token:vault</c> credentials, trusting only the broker's CA, no redirects, no decompression.</summary>
    public HttpClient CreateClient(string token, string vault = "dev", Version? version = null)
    {
        var handler = new SocketsHttpHandler
        {
            Proxy = new WebProxy(Process.ProxyUri) { Credentials = new NetworkCredential(token, vault) },
            UseProxy = true,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TestCertificateAuthority.ValidateWithRoot(Ca, certificate, errors);
        return new HttpClient(handler)
        {
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(60),
        };
    }

    /// <summary>Runs curl through the proxy as the agent (<paramref name="token"/>:dev), trusting the broker's CA.</summary>
    public Task<ClientProcess.Result> CurlAsync(string token, params string[] arguments) =>
        ClientProcess.RunAsync("curl", [
            "-sS", "--max-time", "60", "--proxy", Process.ProxyUri.AbsoluteUri, "--proxy-user", token + ":dev", "--cacert", CaPath, .. arguments]);

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
        Ca.Dispose();
        await Process.DisposeAsync();
    }
}
