using System.Security.Cryptography.X509Certificates;
using AgentVault.Broker.Tests.Hosting;
using AgentVault.Broker.Tls;

namespace AgentVault.Broker.Tests.Tls;

public sealed class LeafCertificateCacheTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static (LeafCertificateCache Cache, List<string> Minted, ManualTimeProvider Clock) NewCache(int capacity = 100)
    {
        var clock = new ManualTimeProvider(Start);
        using var ca = CertificateFactory.CreateCa(Start);
        var caCopy = X509CertificateLoader.LoadPkcs12(ca.Export(X509ContentType.Pkcs12), null);
        var minted = new List<string>();
        var cache = new LeafCertificateCache(
            name =>
            {
                lock (minted)
                {
                    minted.Add(name);
                }

                return CertificateFactory.CreateLeaf(caCopy, name, clock.GetUtcNow());
            },
            clock,
            capacity);
        return (cache, minted, clock);
    }

    [Fact]
    public void SameName_IsServedFromTheCache()
    {
        var (cache, minted, _) = NewCache();

        var first = cache.Get("a.test");
        var second = cache.Get("a.test");

        Assert.Same(first, second);
        Assert.Equal(["a.test"], minted);
    }

    [Fact]
    public void NearExpiry_TheLeafIsRenewed()
    {
        var (cache, minted, clock) = NewCache();
        var first = cache.Get("a.test");

        clock.Advance(CertificateFactory.LeafValidity - LeafCertificateCache.RenewBefore + TimeSpan.FromMinutes(1));
        var renewed = cache.Get("a.test");

        Assert.NotSame(first, renewed);
        Assert.True(renewed.NotAfter > first.NotAfter);
        Assert.Equal(2, minted.Count);
    }

    [Fact]
    public void Capacity_IsNeverExceeded()
    {
        var (cache, _, _) = NewCache(capacity: 3);

        for (var i = 0; i < 10; i++)
        {
            cache.Get($"host{i}.test");
            Assert.InRange(cache.Count, 1, 3);
        }
    }

    [Fact]
    public void Full_EvictsTheLeastRecentlyUsedName_NotEverything()
    {
        var (cache, minted, _) = NewCache(capacity: 2);
        var a = cache.Get("a.test");
        cache.Get("b.test");
        Assert.Same(a, cache.Get("a.test"));

        cache.Get("c.test");

        Assert.Equal(2, cache.Count);
        Assert.Same(a, cache.Get("a.test"));
        Assert.Equal(["a.test", "b.test", "c.test"], minted);
        cache.Get("b.test");
        Assert.Equal(["a.test", "b.test", "c.test", "b.test"], minted);
    }

    [Fact]
    public void FloodOfNewNames_KeepsAHostInSteadyUse()
    {
        var (cache, minted, _) = NewCache(capacity: 3);
        var steady = cache.Get("steady.test");
        for (var i = 0; i < 20; i++)
        {
            cache.Get($"flood{i}.test");
            Assert.Same(steady, cache.Get("steady.test"));
        }

        Assert.Single(minted, "steady.test");
    }

    [Fact]
    public void FailedMint_IsNotCached()
    {
        var attempts = 0;
        var cache = new LeafCertificateCache(_ => ++attempts == 1 ? throw new InvalidOperationException("boom") : throw new ArgumentException("again"), TimeProvider.System);

        Assert.Throws<InvalidOperationException>(() => cache.Get("a.test"));
        Assert.Throws<ArgumentException>(() => cache.Get("a.test"));
        Assert.Equal(2, attempts);
    }
}
