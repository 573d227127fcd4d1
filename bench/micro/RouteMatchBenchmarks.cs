using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Routing;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Bench.Micro;

/// <summary>
/// Route match: what every request does after authentication (take a lease on the route table, find the vault, match host,
/// port and path). The vault has 16 services of the kinds a real configuration mixes: exact hosts, a one-level wildcard,
/// path globs on a shared host, explicit and any ports.
/// </summary>
[MemoryDiagnoser]
public class RouteMatchBenchmarks
{
    private static readonly string[] Hosts =
    [
        "api.github.com", "uploads.github.com", "api.openai.com", "api.anthropic.com", "api.stripe.com:*", "hooks.slack.com",
        "slack.com/api/chat.postMessage", "slack.com/api/conversations.*", "slack.com/api/**", "*.googleapis.com",
        "api.telegram.org/bot*/**", "gitlab.example.com:8443", "registry.npmjs.org", "bench.upstream.test:8443",
        "api.linear.app", "*.internal.example.com",
    ];

    private static readonly RequestPath Pulls = Parse("/repos/owner/repo/pulls");
    private static readonly RequestPath Root = Parse("/");
    private static readonly RequestPath Upload = Parse("/upload/storage/v1/b/x/o");
    private static readonly RequestPath History = Parse("/api/conversations.history");
    private static readonly RequestPath Index = Parse("/index.html");

    private RouteTable _table = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = Hosts.Select((host, i) => new ServiceDefinition { Name = "s" + i, Host = host }).ToList();
        var config = new ConfigDocument { Vaults = [new VaultDefinition { Name = "agent", Services = services }] };
        using var client = new HttpClient();
        var builder = new RouteTableBuilder(new Dictionary<string, IAuthSchemeFactory>(), client, NullLoggerFactory.Instance, TimeProvider.System);
        _table = builder.Build(config, 1);
    }

    [Benchmark]
    public object? ExactHost() => _table.FindVault("agent")!.Match("api.github.com", 443, Pulls);

    [Benchmark]
    public object? ExactHostAndPort() => _table.FindVault("agent")!.Match("bench.upstream.test", 8443, Root);

    [Benchmark]
    public object? WildcardHost() => _table.FindVault("agent")!.Match("storage.googleapis.com", 443, Upload);

    [Benchmark]
    public object? PathGlobs() => _table.FindVault("agent")!.Match("slack.com", 443, History);

    [Benchmark]
    public object? NoMatch() => _table.FindVault("agent")!.Match("example.org", 443, Index);

    /// <summary>Reading the request target once (segments, decoding, dot-segment check), as every request does before routing.</summary>
    [Benchmark]
#pragma warning disable CA1822 // BenchmarkDotNet runs instance methods only
    public object ParsePath() => Parse("/repos/owner/repo/pulls?per_page=100");
#pragma warning restore CA1822

    /// <summary>The whole per-request step: lease, vault, match, release.</summary>
    [Benchmark]
    public object? LeaseAndMatch()
    {
        if (!_table.TryAcquire())
        {
            return null;
        }

        try
        {
            return _table.FindVault("agent")!.Match("api.github.com", 443, Pulls);
        }
        finally
        {
            _table.Release();
        }
    }

    private static RequestPath Parse(string target) =>
        RequestPath.TryParse(target, out var path, out var problem) ? path : throw new ArgumentException(problem, nameof(target));
}
