using System.Text;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Proxy;
using AgentVault.Broker.Security;
using AgentVault.Broker.Snapshots;
using BenchmarkDotNet.Attributes;

namespace AgentVault.Bench.Micro;

/// <summary>
/// Token lookup: authenticating a <c>Proxy-Authorization</c> header against an index of 1,000 live tokens. A new connection
/// pays the full price (parse Basic, SHA-256, index lookup, fixed-time compare); further requests on a keep-alive connection
/// hit the per-connection memo.
/// </summary>
[MemoryDiagnoser]
public class TokenLookupBenchmarks : IDisposable
{
    private const int Tokens = 1000;
    private AgentAuthenticator _authenticator = null!;
    private ProxyAuthThrottle _throttle = null!;
    private string _header = null!;
    private string _token = null!;
    private string _hash = null!;
    private TokenIndex _index = null!;
    private AuthCache _warmCache = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTimeOffset.UtcNow;
        var tokens = Enumerable.Range(0, Tokens).Select(i => new TokenRecord
        {
            Id = "tok_" + i,
            Hash = TokenHasher.Hash(TokenText(i)),
            Agent = "agent" + (i % 10),
            Kind = "agent",
            CreatedAt = now,
            ExpiresAt = now.AddDays(1),
        }).ToList();
        var config = new ConfigDocument
        {
            Vaults = [.. Enumerable.Range(0, 10).Select(i => new VaultDefinition { Name = "vault" + i })],
            Agents = [.. Enumerable.Range(0, 10).Select(i => new AgentDefinition { Name = "agent" + i, Vaults = ["vault" + i] })],
        };
        var state = new ConfigState(1, config, tokens);
        _throttle = new ProxyAuthThrottle();

        // The proxy authenticates against the token index of the snapshot a request holds; so do these benchmarks, which is
        // why the authenticator needs no snapshot publisher here.
        _authenticator = new AgentAuthenticator(snapshots: null!, TimeProvider.System, _throttle);
        _token = TokenText(Tokens / 2);
        _hash = TokenHasher.Hash(_token);
        _header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_token + ":vault" + (Tokens / 2 % 10)));
        _index = TokenIndex.Build(state);
        _warmCache = new AuthCache();
        if (!_authenticator.TryAuthenticate(_index, _header, _warmCache, out _, out _, out _))
        {
            throw new InvalidOperationException("the benchmark token does not authenticate");
        }
    }

    /// <summary>First request of a connection: parse, hash, look up, compare.</summary>
    [Benchmark]
    public bool NewConnection() => _authenticator.TryAuthenticate(_index, _header, null, out _, out _, out _);

    /// <summary>Later request of a keep-alive connection: the memo answers.</summary>
    [Benchmark]
    public bool KeepAlive() => _authenticator.TryAuthenticate(_index, _header, _warmCache, out _, out _, out _);

    [Benchmark]
    public string HashOnly() => TokenHasher.Hash(_token);

    [Benchmark]
    public object? IndexFind() => _index.Find(_hash);

    [GlobalCleanup]
    public void Dispose()
    {
        _throttle?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string TokenText(int i) => "av_" + Convert.ToHexStringLower(BitConverter.GetBytes(i * 2654435761L)) + "_benchmark_token_padding";
}
