using System.Text;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Abstractions.Plugins;
using AgentVault.Plugins.Tests.OAuth2;
using AgentVault.Testing.Fakes;
using Microsoft.Extensions.Time.Testing;
using AwsEndpoint = AgentVault.Plugins.AwsSigV4.AwsEndpoint;
using AwsSigV4Plugin = AgentVault.Plugins.AwsSigV4.AwsSigV4Plugin;

namespace AgentVault.Plugins.Tests.AwsSigV4;

public sealed class SigV4SchemeTests
{
    private const string RealKeyId = "AKIAREALKEY000000001";
    private const string RealSecret = "real/secret+access+key/0000000000000000000";
    private const string DummySecret = "dummy-secret";

    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("sts.amazonaws.com", "sts", "us-east-1")]
    [InlineData("secretsmanager.eu-west-1.amazonaws.com", "secretsmanager", "eu-west-1")]
    [InlineData("my-bucket.s3.us-west-2.amazonaws.com", "s3", "us-west-2")]
    [InlineData("s3.dualstack.ap-south-1.amazonaws.com", "s3", "ap-south-1")]
    [InlineData("my-bucket.s3.amazonaws.com", "s3", "us-east-1")]
    [InlineData("s3-us-west-2.amazonaws.com", "s3", "us-west-2")]
    [InlineData("abc123.execute-api.us-gov-west-1.amazonaws.com", "execute-api", "us-gov-west-1")]
    [InlineData("email.us-east-2.amazonaws.com", "ses", "us-east-2")]
    [InlineData("dynamodb.cn-north-1.amazonaws.com.cn", "dynamodb", "cn-north-1")]
    public void AwsHost_DerivesServiceAndRegion(string host, string service, string region) =>
        Assert.Equal((service, region), AwsEndpoint.Derive(host));

    [Theory]
    [InlineData("minio.internal.test")]
    [InlineData("amazonaws.com.evil.test")]
    public void OtherHost_NotDerived(string host) => Assert.Null(AwsEndpoint.Derive(host));

    [Fact]
    public async Task AgentSignature_ReplacedByVerifiableSignature()
    {
        var scheme = Create(new JsonObject());
        var request = AgentRequest(HttpMethod.Post, "https://secretsmanager.eu-west-1.amazonaws.com/", "{\"SecretId\":\"db\"}");
        request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", "agent-session-token");

        await scheme.ApplyAsync(new AuthRequest(request, Credentials()), CancellationToken.None);

        var auth = IndependentSigV4Verifier.Parse(request.Headers.GetValues("Authorization").Single());
        Assert.Equal(RealKeyId, auth.AccessKeyId);
        Assert.Equal(("secretsmanager", "eu-west-1", "20261128"), (auth.Service, auth.Region, auth.Date));
        Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
        Assert.Equal("20261128T120000Z", request.Headers.GetValues("X-Amz-Date").Single());
        Assert.Contains("x-amz-target", auth.SignedHeaders);
        Assert.True(await IndependentSigV4Verifier.VerifyAsync(request, RealSecret));
        Assert.False(await IndependentSigV4Verifier.VerifyAsync(request, DummySecret));
        Assert.Equal("{\"SecretId\":\"db\"}", await request.Content!.ReadAsStringAsync());
    }

    [Fact]
    public async Task ChangedBody_SignatureNoLongerVerifies()
    {
        var scheme = Create(new JsonObject());
        var request = AgentRequest(HttpMethod.Post, "https://sts.amazonaws.com/", "Action=GetCallerIdentity&Version=2011-06-15");
        await scheme.ApplyAsync(new AuthRequest(request, Credentials()), CancellationToken.None);

        request.Content = new StringContent("Action=AssumeRole&Version=2011-06-15", Encoding.UTF8, "application/x-www-form-urlencoded");

        Assert.False(await IndependentSigV4Verifier.VerifyAsync(request, RealSecret));
    }

    [Fact]
    public async Task SessionToken_SentAndRegisteredForRedaction()
    {
        var scheme = Create(new JsonObject { ["session_token"] = "AWS_SESSION_TOKEN" });
        var request = AgentRequest(HttpMethod.Get, "https://sts.amazonaws.com/?Version=2011-06-15&Action=GetCallerIdentity", null);
        var auth = new AuthRequest(request, Credentials());

        await scheme.ApplyAsync(auth, CancellationToken.None);

        Assert.Equal("real-session-token", request.Headers.GetValues("X-Amz-Security-Token").Single());
        Assert.Contains("x-amz-security-token", IndependentSigV4Verifier.Parse(request.Headers.GetValues("Authorization").Single()).SignedHeaders);
        Assert.Contains("real-session-token", auth.InjectedValues);
        Assert.True(await IndependentSigV4Verifier.VerifyAsync(request, RealSecret));
    }

    [Theory]
    [InlineData(null, "hashed")]
    [InlineData("UNSIGNED-PAYLOAD", "UNSIGNED-PAYLOAD")]
    [InlineData("STREAMING-UNSIGNED-PAYLOAD-TRAILER", "STREAMING-UNSIGNED-PAYLOAD-TRAILER")]
    public async Task S3_PayloadHashHeaderSigned(string? agentDeclared, string expected)
    {
        var scheme = Create(new JsonObject());
        var request = AgentRequest(HttpMethod.Put, "https://my-bucket.s3.us-west-2.amazonaws.com/a%20b/key.txt", "hello");
        if (agentDeclared is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", agentDeclared);
        }

        await scheme.ApplyAsync(new AuthRequest(request, Credentials()), CancellationToken.None);

        var sent = request.Headers.GetValues("X-Amz-Content-Sha256").Single();
        Assert.Equal(expected == "hashed" ? "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" : expected, sent);
        Assert.True(await IndependentSigV4Verifier.VerifyAsync(request, RealSecret, doubleEncodePath: false));
    }

    [Fact]
    public async Task NonS3UnsignedPayloadClaim_BodyStillHashed()
    {
        var scheme = Create(new JsonObject());
        var request = AgentRequest(HttpMethod.Post, "https://secretsmanager.eu-west-1.amazonaws.com/", "{}");
        request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD");

        await scheme.ApplyAsync(new AuthRequest(request, Credentials()), CancellationToken.None);

        Assert.False(request.Headers.Contains("X-Amz-Content-Sha256"));
        Assert.True(await IndependentSigV4Verifier.VerifyAsync(request, RealSecret));
    }

    [Fact]
    public async Task ChunkSignedS3Upload_Refused()
    {
        var scheme = Create(new JsonObject());
        var request = AgentRequest(HttpMethod.Put, "https://my-bucket.s3.amazonaws.com/key", "x");
        request.Headers.TryAddWithoutValidation("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");

        await Assert.ThrowsAsync<AuthSchemeException>(() => scheme.ApplyAsync(new AuthRequest(request, Credentials()), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task CustomEndpointWithoutSettings_Refused()
    {
        var request = AgentRequest(HttpMethod.Get, "http://127.0.0.1:4566/", null);
        var ex = await Assert.ThrowsAsync<AuthSchemeException>(() => Create(new JsonObject()).ApplyAsync(new AuthRequest(request, Credentials()), CancellationToken.None).AsTask());
        Assert.Contains("region", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomEndpointWithSettings_SignedForThem()
    {
        var scheme = Create(new JsonObject { ["region"] = "eu-central-1", ["service"] = "secretsmanager" });
        var request = AgentRequest(HttpMethod.Post, "http://127.0.0.1:4566/", "{}");

        await scheme.ApplyAsync(new AuthRequest(request, Credentials()), CancellationToken.None);

        var auth = IndependentSigV4Verifier.Parse(request.Headers.GetValues("Authorization").Single());
        Assert.Equal(("secretsmanager", "eu-central-1"), (auth.Service, auth.Region));
        Assert.True(await IndependentSigV4Verifier.VerifyAsync(request, RealSecret));
    }

    [Theory]
    [InlineData("{\"secret_access_key\":\"AWS_SECRET_ACCESS_KEY\"}", "access_key_id")]
    [InlineData("{\"access_key_id\":\"wJalrXUtnFEMI/K7MDENG\",\"secret_access_key\":\"AWS_SECRET_ACCESS_KEY\"}", "access_key_id")]
    [InlineData("{\"access_key_id\":\"AWS_ACCESS_KEY_ID\",\"secret_access_key\":\"AWS_SECRET_ACCESS_KEY\",\"region\":\"EU WEST\"}", "region")]
    [InlineData("{\"access_key_id\":\"AWS_ACCESS_KEY_ID\",\"secret_access_key\":\"AWS_SECRET_ACCESS_KEY\",\"regoin\":\"us-east-1\"}", "regoin")]
    public void InvalidSettings_Reported(string json, string path)
    {
        var validation = new SettingsValidation();
        Factory().Validate(new PluginSettings(JsonNode.Parse(json)!.AsObject()), validation);
        Assert.Contains(validation.Problems, p => p.Path == path);
    }

    [Fact]
    public void HeadersToStrip_CoverAgentSignature() =>
        Assert.Superset(new HashSet<string>(["Authorization", "X-Amz-Date", "X-Amz-Security-Token"], StringComparer.OrdinalIgnoreCase),
            new HashSet<string>(Create(new JsonObject()).HeadersToStrip, StringComparer.OrdinalIgnoreCase));

    private static IAuthSchemeFactory Factory() => SchemeHarness.Factory(new AwsSigV4Plugin(), "aws-sigv4");

    private static IAuthScheme Create(JsonObject extra)
    {
        var settings = new JsonObject { ["access_key_id"] = "AWS_ACCESS_KEY_ID", ["secret_access_key"] = "AWS_SECRET_ACCESS_KEY" };
        foreach (var (k, v) in extra)
        {
            settings[k] = v?.DeepClone();
        }

        using var client = new HttpClient();
        return SchemeHarness.Create(Factory(), settings, client, new CapturingLoggerFactory(), Clock);
    }

    private static MapCredentials Credentials() => new(new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = RealKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = RealSecret,
        ["AWS_SESSION_TOKEN"] = "real-session-token",
    });

    // What an AWS SDK configured with dummy keys sends.
    private static HttpRequestMessage AgentRequest(HttpMethod method, string url, string? body)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, body.StartsWith('{') ? "application/x-amz-json-1.1" : "application/x-www-form-urlencoded");
            request.Headers.TryAddWithoutValidation("X-Amz-Target", "secretsmanager.GetSecretValue");
        }

        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDDUMMY/20261128/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=00");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20200101T000000Z");
        return request;
    }
}
