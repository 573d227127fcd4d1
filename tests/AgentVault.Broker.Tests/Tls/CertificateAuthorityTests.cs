using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentVault.Broker.Security;
using AgentVault.Broker.Server;
using AgentVault.Broker.Storage;
using AgentVault.Broker.Tests.Security;
using AgentVault.Broker.Tests.Storage;
using AgentVault.Broker.Tls;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentVault.Broker.Tests.Tls;

public sealed class CertificateAuthorityTests
{
    private static async Task<CertificateAuthority> StartAsync(TestDatabase db, AtRestProtector protector, TimeProvider? time = null)
    {
        var ca = new CertificateAuthority(new SqliteBlobRepository(db.Database), protector, time ?? TimeProvider.System, NullLogger<CertificateAuthority>.Instance);
        await ca.InitializeAsync(CancellationToken.None);
        return ca;
    }

    private static X509Chain TrustingOnly(X509Certificate2 root)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain;
    }

    [Fact]
    public async Task FirstStart_CreatesAnEcdsaP256CaForTenYears()
    {
        using var db = await TestDatabase.CreateAsync();
        using var ca = await StartAsync(db, AtRestProtectorTests.NewProtector(out _));

        var certificate = ca.Certificate;
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();

        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.True(usage.KeyUsages.HasFlag(X509KeyUsageFlags.CrlSign));
        using var publicKey = certificate.GetECDsaPublicKey()!;
        Assert.Equal(256, publicKey.KeySize);
        Assert.Equal("1.2.840.10045.4.3.2", certificate.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalDays, 3649, 3652);
        Assert.False(certificate.HasPrivateKey);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", ca.CertificatePem, StringComparison.Ordinal);
        Assert.Equal(certificate.RawData, X509Certificate2.CreateFromPem(ca.CertificatePem).RawData);
    }

    [Fact]
    public async Task Restart_LoadsTheSameCaAndItsKeyStaysEncrypted()
    {
        using var db = await TestDatabase.CreateAsync();
        var protector = AtRestProtectorTests.NewProtector(out _);
        using var first = await StartAsync(db, protector);

        using var second = await StartAsync(db, protector);
        var stored = StoredCa.FromBytes((await new SqliteBlobRepository(db.Database).GetAsync(StoredCa.BlobName, CancellationToken.None))!);

        Assert.Equal(first.Certificate.Thumbprint, second.Certificate.Thumbprint);
        using var chain = TrustingOnly(first.Certificate);
        Assert.True(chain.Build(second.GetLeafCertificate("api.example.com")));
        Assert.ThrowsAny<CryptographicException>(() => ECDsa.Create().ImportPkcs8PrivateKey(stored.EncryptedPrivateKey, out _));
    }

    [Fact]
    public async Task OtherDataKey_CannotLoadTheCa()
    {
        using var db = await TestDatabase.CreateAsync();
        using var first = await StartAsync(db, AtRestProtectorTests.NewProtector(out _));

        var error = await Assert.ThrowsAsync<BrokerStartupException>(() => StartAsync(db, AtRestProtectorTests.NewProtector(out _)));

        Assert.Contains("CA private key", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api.example.com", "api.example.com")]
    [InlineData("API.Example.COM.", "api.example.com")]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("[::1]", "::1")]
    public async Task Leaf_ChainsToTheCaAndNamesTheHost(string requested, string expectedName)
    {
        using var db = await TestDatabase.CreateAsync();
        using var ca = await StartAsync(db, AtRestProtectorTests.NewProtector(out _));

        var leaf = ca.GetLeafCertificate(requested);

        using var chain = TrustingOnly(ca.Certificate);
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.True(leaf.HasPrivateKey);
        Assert.True(leaf.MatchesHostname(expectedName));
        Assert.False(leaf.MatchesHostname("other.example.com"));
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.InRange(leaf.NotBefore.ToUniversalTime(), DateTime.UtcNow.AddHours(-2), DateTime.UtcNow);
        Assert.InRange((leaf.NotAfter - leaf.NotBefore).TotalDays, 29, 32);
    }

    [Fact]
    public async Task Leaf_ServesATlsHandshakeThatAClientTrustingOnlyTheCaAccepts()
    {
        using var db = await TestDatabase.CreateAsync();
        using var ca = await StartAsync(db, AtRestProtectorTests.NewProtector(out _));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        var serverTask = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync();
            await using var server = new SslStream(accepted.GetStream());
            await server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateSelectionCallback = (_, name) => ca.GetLeafCertificate(name!) });
            await server.WriteAsync("ok"u8.ToArray());
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var tls = new SslStream(client.GetStream());
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(ca.Certificate);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "api.upstream.test", CertificateChainPolicy = policy });
        var buffer = new byte[2];
        await tls.ReadExactlyAsync(buffer);
        await serverTask;

        Assert.Equal("ok"u8.ToArray(), buffer);
    }

    [Fact]
    public async Task Leaf_IsMintedOnceUnderConcurrency()
    {
        using var db = await TestDatabase.CreateAsync();
        using var ca = await StartAsync(db, AtRestProtectorTests.NewProtector(out _));

        var leaves = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => ca.GetLeafCertificate("api.example.com"))));

        Assert.Single(leaves.Distinct());
        Assert.NotSame(leaves[0], ca.GetLeafCertificate("other.example.com"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad host")]
    [InlineData("evil.com/path")]
    public async Task Leaf_ForAnInvalidName_IsRefused(string name)
    {
        using var db = await TestDatabase.CreateAsync();
        using var ca = await StartAsync(db, AtRestProtectorTests.NewProtector(out _));

        Assert.ThrowsAny<ArgumentException>(() => ca.GetLeafCertificate(name));
    }
}
