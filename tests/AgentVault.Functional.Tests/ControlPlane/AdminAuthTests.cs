using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using AgentVault.Testing.Broker;

namespace AgentVault.Functional.Tests.ControlPlane;

/// <summary>The admin token guards the management API; the CA and health endpoints are public; files have safe modes.</summary>
public sealed class AdminAuthTests(DevBrokerFixture fixture) : IClassFixture<DevBrokerFixture>
{
    private BrokerProcess Broker => fixture.Broker;

    [Theory]
    [InlineData(null)]
    [InlineData("ava_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-even-the-format")]
    public async Task ApiWithoutValidAdminToken_Returns401Problem(string? token)
    {
        using var client = Broker.CreateApiClient(admin: false);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.GetAsync("v1/vaults");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"unauthorized\"", (await response.Content.ReadAsStringAsync()).Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliWithBadAdminToken_Exits1WithoutEchoingTheToken()
    {
        const string bad = "ava_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

        var result = CliAssert.Failed(await Broker.Cli.With("AGENT_VAULT_ADMIN_TOKEN", bad).RunAsync("vault", "list"));

        Assert.Contains("AGENT_VAULT_ADMIN_TOKEN", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(bad, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliWithAdminTokenFromEnvironment_Works()
    {
        var cli = Broker.Cli.With([new("AGENT_VAULT_ADMIN_TOKEN", Broker.AdminToken), new("AGENT_VAULT_DATA_DIR", Broker.WorkDir)]);

        CliAssert.Ok(await cli.RunAsync("vault", "list"));
    }

    [Fact]
    public async Task CliWithoutAnyAdminToken_Exits1()
    {
        var cli = Broker.Cli.With("AGENT_VAULT_DATA_DIR", Path.Combine(Broker.WorkDir, "nowhere"));

        CliAssert.Failed(await cli.RunAsync("agent", "list"));
    }

    [Fact]
    public void AdminTokenFile_IsOwnerReadWriteOnly()
    {
        var file = Path.Combine(Broker.DataDir, "admin.token");

        Assert.Equal(FileModes.OwnerReadWrite, FileModes.Of(file));
        Assert.StartsWith("ava_", File.ReadAllText(file).Trim(), StringComparison.Ordinal);
        Assert.Equal(Broker.AdminToken, File.ReadAllText(file).Trim());
    }

    [Fact]
    public async Task CaFetchToFile_WritesAPemCaCertificate()
    {
        var path = Path.Combine(Broker.WorkDir, $"ca-{Guid.NewGuid():N}.pem");

        var result = CliAssert.Ok(await Broker.Cli.With("AGENT_VAULT_DATA_DIR", "/nonexistent").RunAsync("ca", "fetch", "-o", path));

        Assert.Empty(result.Stdout);
        using var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(path));
        var constraints = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(certificate.NotAfter > DateTime.UtcNow.AddYears(1));
    }

    [Fact]
    public async Task CaFetchWithoutOutput_PrintsPemOnStdout()
    {
        var result = CliAssert.Ok(await Broker.Cli.RunAsync("ca", "fetch"));

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", result.Stdout, StringComparison.Ordinal);
        using var certificate = X509Certificate2.CreateFromPem(result.Stdout);
        Assert.NotNull(certificate);
    }
}
