using System.Text;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.Tests.AwsSecretsManager;

/// <summary>The store against a real moto server that checks every SigV4 signature and IAM policy.</summary>
public sealed class AwsSecretsManagerStoreTests : IClassFixture<MotoFixture>
{
    private readonly MotoFixture _moto;

    public AwsSecretsManagerStoreTests(MotoFixture moto) => _moto = moto;

    [Fact]
    public async Task PlainSecretString_ReturnsValueAndVersion()
    {
        var name = Unique("plain");
        await _moto.Server.CreateSecretAsync(name, "sk_live_plain");
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server);

        var value = await aws.GetAsync(name);

        Assert.Equal("sk_live_plain", value.Value);
        Assert.Empty(value.Fields);
        Assert.False(string.IsNullOrEmpty(value.Version));
    }

    [Fact]
    public async Task JsonSecretString_ExposesTopLevelFields()
    {
        var name = Unique("prod/stripe");
        await _moto.Server.CreateSecretAsync(name, """{"api_key":"sk_live_json","port":5432,"enabled":true}""");
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server);

        var value = await aws.GetAsync(name);

        Assert.Equal("sk_live_json", value.Fields["api_key"]);
        Assert.Equal("5432", value.Fields["port"]);
        Assert.Equal("true", value.Fields["enabled"]);
    }

    [Fact]
    public async Task SecretByArn_ReturnsValue()
    {
        var arn = await _moto.Server.CreateSecretAsync(Unique("by-arn"), "from-arn");
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server);

        var value = await aws.GetAsync(arn);

        Assert.Equal("from-arn", value.Value);
    }

    [Fact]
    public async Task StageAndVersionId_SelectThatVersion()
    {
        var name = Unique("staged");
        await _moto.Server.CreateSecretAsync(name, "v1");
        var pendingId = await _moto.Server.PutSecretValueAsync(name, "v2-pending", ["AWSPENDING"]);
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server);

        var current = await aws.GetAsync(name);
        var pending = await aws.GetAsync(name, ("stage", "AWSPENDING"));
        var byId = await aws.GetAsync(name, ("version_id", pendingId));

        Assert.Equal("v1", current.Value);
        Assert.Equal("v2-pending", pending.Value);
        Assert.Equal(pendingId, pending.Version);
        Assert.Equal("v2-pending", byId.Value);
    }

    [Fact]
    public async Task NewCurrentVersion_IsReturnedOnNextRead()
    {
        var name = Unique("rotated");
        await _moto.Server.CreateSecretAsync(name, "old");
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server);
        var before = await aws.GetAsync(name);

        var newVersion = await _moto.Server.PutSecretValueAsync(name, "new");
        var after = await aws.GetAsync(name);

        Assert.Equal("old", before.Value);
        Assert.Equal("new", after.Value);
        Assert.Equal(newVersion, after.Version);
    }

    [Fact]
    public async Task SecretBinary_IsDecoded()
    {
        var name = Unique("binary");
        await _moto.Server.CreateSecretAsync(name, null, Encoding.UTF8.GetBytes("binary-token"));
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server);

        var value = await aws.GetAsync(name);

        Assert.Equal("binary-token", value.Value);
    }

    [Fact]
    public async Task MissingSecret_FailsNotFound()
    {
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server);

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => aws.GetAsync(Unique("missing")));

        Assert.Equal(SecretErrorCategory.NotFound, error.Category);
        Assert.Contains("ResourceNotFoundException", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongSecretKey_FailsAccessDeniedWithoutEchoingKeyOrValue()
    {
        var name = Unique("guarded");
        await _moto.Server.CreateSecretAsync(name, "must-not-leak");
        const string wrongKey = "wrong-secret-access-key-0123456789";
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server, secretKey: wrongKey);

        var get = await Assert.ThrowsAsync<SecretStoreException>(() => aws.GetAsync(name));
        var test = await Assert.ThrowsAsync<SecretStoreException>(() => aws.Store.TestAsync(CancellationToken.None));

        Assert.Equal(SecretErrorCategory.AccessDenied, get.Category);
        Assert.Equal(SecretErrorCategory.AccessDenied, test.Category);
        Assert.DoesNotContain(wrongKey, get.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("must-not-leak", get.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownAccessKeyId_FailsAccessDenied()
    {
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server, keyId: "AKIAUNKNOWNKEY000000");

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => aws.Store.TestAsync(CancellationToken.None));

        Assert.Equal(SecretErrorCategory.AccessDenied, error.Category);
    }

    [Fact]
    public async Task TestWithValidKey_Succeeds()
    {
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server);

        await aws.Store.TestAsync(CancellationToken.None);

        Assert.Contains("secretsmanager.ListSecrets", aws.Handler.Operations);
    }

    [Fact]
    public async Task RotatedKeyReference_IsReadBeforeEveryCall()
    {
        var name = Unique("rotation");
        await _moto.Server.CreateSecretAsync(name, "value");
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server, secretKey: "stale-key");
        await Assert.ThrowsAsync<SecretStoreException>(() => aws.GetAsync(name));

        aws.Bootstrap["env:AWS_TEST_SECRET"] = _moto.Server.SecretAccessKey;
        var value = await aws.GetAsync(name);

        Assert.Equal("value", value.Value);
    }

    [Fact]
    public async Task StandardEnvironmentVariables_ProvideRegionAndKeys()
    {
        var name = Unique("from-env");
        await _moto.Server.CreateSecretAsync(name, "env-value");
        var env = new Dictionary<string, string>
        {
            ["AWS_ACCESS_KEY_ID"] = _moto.Server.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = _moto.Server.SecretAccessKey,
            ["AWS_DEFAULT_REGION"] = _moto.Server.Region,
            ["AWS_ENDPOINT_URL"] = _moto.Server.Endpoint.ToString(),
        };
        await using var aws = new AwsStoreHarness([], env);

        var value = await aws.GetAsync(name);

        Assert.Equal("env-value", value.Value);
    }

    [Fact]
    public async Task WebIdentity_AssumesRoleOnceAndSignsWithTemporaryCredentials()
    {
        var name = Unique("web-identity");
        await _moto.Server.CreateSecretAsync(name, "via-role");
        var roleArn = await _moto.Server.CreateRoleAsync(Unique("role").Replace('/', '-'));
        var tokenFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(tokenFile, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2ln");
        try
        {
            var env = new Dictionary<string, string> { ["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile, ["AWS_ROLE_ARN"] = roleArn };
            var settings = new JsonObject
            {
                ["region"] = _moto.Server.Region,
                ["endpoint"] = _moto.Server.Endpoint.ToString(),
                ["sts_endpoint"] = _moto.Server.Endpoint.ToString(),
            };
            await using var aws = new AwsStoreHarness(settings, env);
            await _moto.Server.AllowUnauthenticatedCallsAsync(1); // the STS exchange; GetSecretValue is then verified

            var first = await aws.GetAsync(name);
            var second = await aws.GetAsync(name);

            Assert.Equal("via-role", first.Value);
            Assert.Equal("via-role", second.Value);
            Assert.Equal(1, aws.Handler.Operations.Count(o => o == "Action=AssumeRoleWithWebIdentity"));
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact]
    public async Task NoCredentialsAnywhere_FailsInvalidConfiguration()
    {
        await using var aws = new AwsStoreHarness(new JsonObject { ["region"] = "us-east-1", ["endpoint"] = _moto.Server.Endpoint.ToString() });

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => aws.GetAsync("anything"));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, error.Category);
    }

    [Fact]
    public async Task UnknownReferenceOption_FailsInvalidConfiguration()
    {
        await using var aws = AwsStoreHarness.WithKeys(_moto.Server);

        var error = await Assert.ThrowsAsync<SecretStoreException>(() => aws.GetAsync("x", ("version", "3")));

        Assert.Equal(SecretErrorCategory.InvalidConfiguration, error.Category);
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
