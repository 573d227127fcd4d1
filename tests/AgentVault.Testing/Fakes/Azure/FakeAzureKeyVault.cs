using System.Collections.Concurrent;
using System.Net;
using AgentVault.Testing.Upstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentVault.Testing.Fakes.Azure;

/// <summary>
/// A fake Azure Key Vault (secrets: get, get version, list) and Entra ID token endpoint (client credentials with a
/// client secret or a federated client assertion) over HTTPS on 127.0.0.1, good enough for the real Azure SDK:
/// unauthenticated requests get the Key Vault bearer challenge, tokens are opaque and checked on every call.
/// </summary>
public sealed class FakeAzureKeyVault : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, List<FakeAzureSecret>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _reads = new(StringComparer.OrdinalIgnoreCase);
    private int _tokenRequests;
    private int _challenges;
    private bool _stopped;

    private FakeAzureKeyVault(WebApplication app, TestCertificateAuthority ca)
    {
        _app = app;
        Ca = ca;
    }

    public string TenantId { get; } = "11111111-2222-3333-4444-555555555555";

    public string ClientId { get; } = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    /// <summary>The client secret the token endpoint accepts now (change it to simulate rotation).</summary>
    public string ClientSecret { get; set; } = "fake-client-secret-" + Guid.NewGuid().ToString("N");

    /// <summary>The federated token (workload identity) the token endpoint accepts as client assertion.</summary>
    public string FederatedToken { get; } = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6YXBwIn0.c2lnbmF0dXJl";

    /// <summary>How long issued access tokens live.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The CA that issued the fake's certificate (for 127.0.0.1 and localhost; the Azure SDK needs https): what clients trust.</summary>
    public TestCertificateAuthority Ca { get; }

    /// <summary>The vault URL (https://127.0.0.1:port/), also the authority host.</summary>
    public Uri Url { get; private set; } = null!;

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public int Challenges => Volatile.Read(ref _challenges);

    /// <summary>How many times a secret was read (any version).</summary>
    public int Reads(string name) => _reads.TryGetValue(name, out var count) ? count : 0;

    /// <summary>Starts the fake with a certificate issued by <paramref name="ca"/> (owned by the fake from then on) or by a fresh CA.</summary>
    public static async Task<FakeAzureKeyVault> StartAsync(TestCertificateAuthority? ca = null, CancellationToken cancellationToken = default)
    {
        ca ??= new TestCertificateAuthority("Agent Vault fake Azure test CA");
        var certificate = ca.IssueServerCertificate("localhost", "127.0.0.1");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var fake = new FakeAzureKeyVault(app, ca);
        FakeAzureKeyVaultEndpoints.Map(app, fake);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return fake;
    }

    /// <summary>Adds a new current version of a secret; returns its version id.</summary>
    public string SetSecret(string name, string value)
    {
        var version = Guid.NewGuid().ToString("N");
        var list = _secrets.GetOrAdd(name, _ => []);
        lock (list)
        {
            list.Add(new FakeAzureSecret(name, version, value, DateTimeOffset.UtcNow));
        }

        return version;
    }

    /// <summary>Disables every version of a secret (Key Vault then answers 403 Forbidden for it).</summary>
    public void DisableSecret(string name)
    {
        var list = _secrets[name];
        lock (list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                list[i] = list[i] with { Enabled = false };
            }
        }
    }

    /// <summary>Stops serving (an outage).</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        Ca.Dispose();
    }

    internal FakeAzureSecret? Find(string name, string? version)
    {
        if (!_secrets.TryGetValue(name, out var list))
        {
            return null;
        }

        lock (list)
        {
            return version is null ? list.LastOrDefault() : list.FirstOrDefault(s => s.Version == version);
        }
    }

    internal IReadOnlyList<FakeAzureSecret> Latest() =>
        _secrets.Values.Select(l => { lock (l) { return l[^1]; } }).ToArray();

    internal void CountRead(string name) => _reads.AddOrUpdate(name, 1, (_, n) => n + 1);

    internal void CountChallenge() => Interlocked.Increment(ref _challenges);

    internal string IssueToken()
    {
        Interlocked.Increment(ref _tokenRequests);
        var token = "fake-access-token-" + Guid.NewGuid().ToString("N");
        _tokens[token] = DateTimeOffset.UtcNow + TokenLifetime;
        return token;
    }

    internal bool IsValidToken(string token) => _tokens.TryGetValue(token, out var expires) && expires > DateTimeOffset.UtcNow;
}
