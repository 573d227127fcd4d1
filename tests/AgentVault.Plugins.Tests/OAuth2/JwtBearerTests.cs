using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.OAuth2;
using AgentVault.Plugins.Tests.Jwt;
using AgentVault.Testing.Fakes;
using AgentVault.Testing.Fakes.OAuth;

namespace AgentVault.Plugins.Tests.OAuth2;

/// <summary><c>jwt-bearer</c> against a token endpoint that verifies the assertion with the service account's public key.</summary>
public sealed class JwtBearerTests : IAsyncLifetime
{
    private const string Issuer = "agent@project.iam.example.test";
    private const string KeyName = "SA_KEY";
    private JwtBearerTokenEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await JwtBearerTokenEndpoint.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    [Theory]
    [InlineData("rsa-pkcs8", null, "RS256")]
    [InlineData("rsa-pkcs1", "RS256", "RS256")]
    [InlineData("ec-pkcs8", "ES256", "ES256")]
    [InlineData("ec-sec1", null, "ES256")]
    public async Task PemKey_SignedAssertionIsVerifiedAndTokenInjected(string kind, string? algorithm, string expectedAlg)
    {
        var (pem, publicKey) = TestKeys.Create(kind);
        using var _ = publicKey;
        _endpoint.Trust(Issuer, publicKey);
        var settings = Settings();
        settings["scope"] = new JsonArray("https://www.googleapis.com/auth/cloud-platform", "openid");
        settings["subject"] = "user@example.test";
        if (algorithm is not null)
        {
            settings["algorithm"] = algorithm;
        }

        var logs = new CapturingLoggerFactory();
        using var client = new HttpClient();
        var scheme = SchemeHarness.Create(Factory(), settings, client, logs);

        var (request, auth) = await SchemeHarness.ApplyAsync(scheme, Credentials(pem));

        var token = request.Headers.Authorization!.Parameter!;
        Assert.Equal("Bearer", request.Headers.Authorization.Scheme);
        Assert.True(_endpoint.Issued(token), _endpoint.LastRefusal);
        Assert.Contains(token, auth.InjectedValues);
        var accepted = Assert.Single(_endpoint.Accepted);
        Assert.Equal(expectedAlg, accepted.Header.GetProperty("alg").GetString());
        var claims = accepted.Claims;
        Assert.Equal(Issuer, claims.GetProperty("iss").GetString());
        Assert.Equal("user@example.test", claims.GetProperty("sub").GetString());
        Assert.Equal(_endpoint.TokenUrl.AbsoluteUri, claims.GetProperty("aud").GetString());
        Assert.Equal("https://www.googleapis.com/auth/cloud-platform openid", claims.GetProperty("scope").GetString());
        Assert.InRange(claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64(), 1, 3600);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(token, StringComparison.Ordinal) || m.Contains("PRIVATE KEY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GoogleServiceAccountJson_TakesIssuerTokenUriAndKeyIdFromTheFile()
    {
        using var rsa = RSA.Create(2048);
        _endpoint.Trust("robot@my-project.iam.gserviceaccount.com", rsa);
        var json = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "my-project",
            ["private_key_id"] = "0123abcd",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "robot@my-project.iam.gserviceaccount.com",
            ["client_id"] = "1234567890",
            ["token_uri"] = _endpoint.TokenUrl.AbsoluteUri,
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        var settings = new JsonObject { ["private_key"] = KeyName, ["scope"] = "https://www.googleapis.com/auth/devstorage.read_only" };
        using var client = new HttpClient();
        var scheme = SchemeHarness.Create(Factory(), settings, client, new CapturingLoggerFactory());

        var (request, _) = await SchemeHarness.ApplyAsync(scheme, Credentials(json));

        Assert.True(_endpoint.Issued(request.Headers.Authorization!.Parameter!), _endpoint.LastRefusal);
        var accepted = Assert.Single(_endpoint.Accepted);
        Assert.Equal("0123abcd", accepted.Header.GetProperty("kid").GetString());
        Assert.Equal("robot@my-project.iam.gserviceaccount.com", accepted.Claims.GetProperty("iss").GetString());
        Assert.Equal(_endpoint.TokenUrl.AbsoluteUri, accepted.Claims.GetProperty("aud").GetString());
        Assert.False(accepted.Claims.TryGetProperty("sub", out _));
    }

    [Fact]
    public async Task ExplicitAudience_IsTheAssertionAudience()
    {
        var (pem, publicKey) = TestKeys.Create("rsa-pkcs8");
        using var _ = publicKey;
        _endpoint.Trust(Issuer, publicKey);
        _endpoint.Audience = "https://login.example.test/";
        var settings = Settings();
        settings["audience"] = "https://login.example.test/";
        using var client = new HttpClient();
        var scheme = SchemeHarness.Create(Factory(), settings, client, new CapturingLoggerFactory());

        var (request, _) = await SchemeHarness.ApplyAsync(scheme, Credentials(pem));

        Assert.True(_endpoint.Issued(request.Headers.Authorization!.Parameter!), _endpoint.LastRefusal);
    }

    [Fact]
    public async Task ManyRequests_OneAssertionExchanged_AndUnauthorizedSignsAFreshOne()
    {
        var (pem, publicKey) = TestKeys.Create("ec-pkcs8");
        using var _ = publicKey;
        _endpoint.Trust(Issuer, publicKey);
        using var client = new HttpClient();
        var scheme = SchemeHarness.Create(Factory(), Settings(), client, new CapturingLoggerFactory());
        var credentials = Credentials(pem);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SchemeHarness.ApplyAsync(scheme, credentials)));
        Assert.Single(results.Select(r => r.Request.Headers.Authorization!.Parameter).Distinct());
        Assert.Equal(1, _endpoint.Requests);

        Assert.True(await scheme.OnUnauthorizedAsync(CancellationToken.None));
        var (again, _) = await SchemeHarness.ApplyAsync(scheme, credentials);

        // The endpoint refuses a replayed jti, so the second exchange only succeeds with a newly signed assertion.
        Assert.True(_endpoint.Issued(again.Headers.Authorization!.Parameter!), _endpoint.LastRefusal);
        Assert.Equal(2, _endpoint.Accepted.Count);
    }

    [Theory]
    [InlineData("rsa-pkcs8")]
    [InlineData("ec-sec1")]
    public async Task KeyTheServerDoesNotTrust_ThrowsWithoutKeyMaterial(string kind)
    {
        var (pem, signing) = TestKeys.Create(kind);
        var (_, other) = TestKeys.Create(kind);
        using (signing)
        using (other)
        {
            _endpoint.Trust(Issuer, other);
            var logs = new CapturingLoggerFactory();
            using var client = new HttpClient();
            var scheme = SchemeHarness.Create(Factory(), Settings(), client, logs);

            var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, Credentials(pem)));

            Assert.Contains("HTTP 400", ex.Message, StringComparison.Ordinal);
            Assert.Contains("invalid_grant", ex.Message, StringComparison.Ordinal);
            Assert.Equal("signature does not verify with the issuer's public key", _endpoint.LastRefusal);
            AssertNoKeyMaterial(ex, pem);
        }
    }

    [Theory]
    [InlineData("not a key at all", "not a PEM private key")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "only: CERTIFICATE")]
    [InlineData("{\"type\":\"service_account\",\"client_email\":\"a@b\"}", "without a 'private_key'")]
    [InlineData("{\"type\":\"authorized_user\",\"private_key\":\"x\"}", "not 'service_account'")]
    [InlineData("{ not json", "not valid JSON")]
    public async Task UnusableKeyValue_ThrowsNamingTheKeyNotTheValue(string value, string expected)
    {
        using var client = new HttpClient();
        var scheme = SchemeHarness.Create(Factory(), Settings(), client, new CapturingLoggerFactory());

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, Credentials(value)));

        Assert.Equal(KeyName, ex.CredentialKey);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, _endpoint.Requests);
    }

    [Fact]
    public async Task AlgorithmNotMatchingKey_Throws()
    {
        var (pem, publicKey) = TestKeys.Create("rsa-pkcs8");
        using var _ = publicKey;
        var settings = Settings();
        settings["algorithm"] = "ES256";
        using var client = new HttpClient();
        var scheme = SchemeHarness.Create(Factory(), settings, client, new CapturingLoggerFactory());

        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, Credentials(pem)));

        Assert.Contains("cannot sign ES256", ex.Message, StringComparison.Ordinal);
        AssertNoKeyMaterial(ex, pem);
    }

    [Fact]
    public async Task PemWithoutTokenUrlOrIssuer_Throws()
    {
        var (pem, publicKey) = TestKeys.Create("rsa-pkcs8");
        using var _ = publicKey;
        using var client = new HttpClient();
        var scheme = SchemeHarness.Create(Factory(), new JsonObject { ["private_key"] = KeyName, ["issuer"] = Issuer }, client, new CapturingLoggerFactory());
        var noIssuer = SchemeHarness.Create(Factory(), new JsonObject { ["private_key"] = KeyName, ["token_url"] = _endpoint.TokenUrl.AbsoluteUri }, client, new CapturingLoggerFactory());

        Assert.Contains("needs a token URL", (await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(scheme, Credentials(pem)))).Message, StringComparison.Ordinal);
        Assert.Contains("needs an issuer", (await Assert.ThrowsAsync<AuthSchemeException>(() => SchemeHarness.ApplyAsync(noIssuer, Credentials(pem)))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("private_key", null, "private_key")]
    [InlineData("private_key", "-----BEGIN PRIVATE KEY-----", "private_key")]
    [InlineData("algorithm", "HS256", "algorithm")]
    [InlineData("token_url", "http://oauth2.example.com/token", "token_url")]
    [InlineData("client_secret", "X", "client_secret")]
    [InlineData("issuer", "", "issuer")]
    public void BadSettings_AreReported(string setting, string? value, string path)
    {
        var settings = new JsonObject { ["private_key"] = KeyName, ["token_url"] = "https://oauth2.example.com/token" };
        settings[setting] = value;
        if (value is null)
        {
            settings.Remove(setting);
        }

        var problems = SchemeHarness.Validate(Factory(), settings);

        Assert.Contains(problems, p => p.Path == path);
        Assert.DoesNotContain(problems, p => !string.IsNullOrEmpty(value) && p.Message.Contains(value, StringComparison.Ordinal));
    }

    private static void AssertNoKeyMaterial(Exception ex, string pem)
    {
        var text = ex.ToString();
        Assert.DoesNotContain("PRIVATE KEY-----", text, StringComparison.Ordinal);
        foreach (var line in pem.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, text, StringComparison.Ordinal);
        }
    }

    private static IAuthSchemeFactory Factory() => SchemeHarness.Factory(new OAuth2Plugin(), "jwt-bearer");

    private JsonObject Settings() => new()
    {
        ["token_url"] = _endpoint.TokenUrl.AbsoluteUri,
        ["private_key"] = KeyName,
        ["issuer"] = Issuer,
    };

    private static MapCredentials Credentials(string keyValue) => new(new Dictionary<string, string> { [KeyName] = keyValue });
}
