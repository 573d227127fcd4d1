namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// jwt-bearer end to end: the broker signs an assertion with the service-account key from the store and exchanges it at a
/// token endpoint that verifies the signature with the public key; the upstream receives the token that endpoint issued.
/// </summary>
public sealed class JwtBearerEndToEndTests(JwtBearerFixture fixture) : IClassFixture<JwtBearerFixture>
{
    [Theory]
    [MemberData(nameof(JwtBearerFixture.Services), MemberType = typeof(JwtBearerFixture))]
    public async Task ServiceAccountKey_AssertionVerified_UpstreamGetsTheIssuedToken_ReusedForTheNextRequest(string prefix, string issuer, string alg)
    {
        var first = $"/{prefix}/{Guid.NewGuid():N}";
        var second = $"/{prefix}/{Guid.NewGuid():N}";

        var one = await fixture.CurlAsync(first);
        var two = await fixture.CurlAsync(second);

        Assert.True(one.Status == 200, one + "\n" + fixture.Endpoint.LastRefusal + "\n" + fixture.Broker.Stderr);
        Assert.Equal(200, two.Status);
        var token = Assert.Single(fixture.Upstream.TokensFor(first));
        Assert.Equal(token, Assert.Single(fixture.Upstream.TokensFor(second)));
        Assert.True(fixture.Endpoint.Issued(token));
        var assertions = fixture.Endpoint.Accepted.Where(a => a.Claims.GetProperty("iss").GetString() == issuer).ToArray();
        var assertion = Assert.Single(assertions);
        Assert.Equal(alg, assertion.Header.GetProperty("alg").GetString());
        Assert.Equal("api.read", assertion.Claims.GetProperty("scope").GetString());
        var output = one.ToString() + two.ToString() + fixture.Broker.Stdout + fixture.Broker.Stderr;
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", output, StringComparison.Ordinal);
    }
}
