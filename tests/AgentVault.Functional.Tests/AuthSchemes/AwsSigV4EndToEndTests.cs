namespace AgentVault.Functional.Tests.AuthSchemes;

/// <summary>
/// aws-sigv4 end to end: Debian's awscli, run through <c>agent-vault run</c> with dummy keys, against moto with SigV4
/// enforced. Each call succeeds only because the broker dropped the agent's signature and re-signed the request with the
/// vault's keys: the same call straight to moto with the same dummy keys is refused.
/// </summary>
public sealed class AwsSigV4EndToEndTests(AwsSigV4Fixture fixture) : IClassFixture<AwsSigV4Fixture>
{
    private static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..10];

    public static TheoryData<string, string[], string, string> Calls => new()
    {
        // service, arguments, what the successful output shows, the error moto gives the dummy keys
        { "sts", ["sts", "get-caller-identity"], "user/agent-vault", "InvalidClientTokenId" },
        { "secretsmanager", ["secretsmanager", "create-secret", "--name", Unique("e2e/created"), "--secret-string", "created-through-broker"], "\"ARN\"", "InvalidClientTokenId" },
        { "secretsmanager", ["secretsmanager", "list-secrets"], "\"SecretList\"", "InvalidClientTokenId" },
        { "s3", ["s3api", "list-buckets"], "\"Buckets\"", "InvalidAccessKeyId" },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task AwsCli_WithDummyKeys_SucceedsOnlyThroughTheBroker(string service, string[] args, string expected, string directError)
    {
        var proxied = await fixture.AwsThroughBrokerAsync(service, args);
        var direct = await fixture.AwsDirectAsync(args);

        Assert.True(proxied.ExitCode == 0, proxied + "\n" + fixture.Broker.Stderr);
        Assert.Contains(expected, proxied.Stdout, StringComparison.Ordinal);
        Assert.True(direct.ExitCode != 0, direct.ToString());
        Assert.Contains(directError, direct.StdErr, StringComparison.Ordinal);
        AssertNoRealKey(proxied.Output);
    }

    [Fact]
    public async Task SecretsManager_JsonBodyIsHashedAndSigned_ValueRoundTrips()
    {
        var name = Unique("e2e/roundtrip");
        const string value = "{\"password\":\"written by the agent\",\"n\":42}";

        var created = await fixture.AwsThroughBrokerAsync("secretsmanager", "secretsmanager", "create-secret", "--name", name, "--secret-string", value);
        var read = await fixture.AwsThroughBrokerAsync("secretsmanager", "secretsmanager", "get-secret-value", "--secret-id", name, "--query", "SecretString", "--output", "text");

        Assert.True(created.ExitCode == 0, created + "\n" + fixture.Broker.Stderr);
        Assert.True(read.ExitCode == 0, read + "\n" + fixture.Broker.Stderr);
        Assert.Equal(value, read.Stdout.Trim());
        Assert.Contains("request signed for secretsmanager in us-east-1 (hashed payload)", fixture.Broker.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S3_PutObjectWithUnsignedPayload_AndGetObject_RoundTripTheBytes()
    {
        var bucket = Unique("e2e-objects");
        var upload = Path.Combine(fixture.Broker.WorkDir, Unique("upload") + ".bin");
        var download = Path.Combine(fixture.Broker.WorkDir, Unique("download") + ".bin");
        var content = new byte[300 * 1024];
        new Random(7).NextBytes(content);
        await File.WriteAllBytesAsync(upload, content);

        var created = await fixture.AwsThroughBrokerAsync("s3", "s3api", "create-bucket", "--bucket", bucket);
        var put = await fixture.AwsThroughBrokerAsync("s3", "s3api", "put-object", "--bucket", bucket, "--key", "dir/object.bin", "--body", upload);
        var got = await fixture.AwsThroughBrokerAsync("s3", "s3api", "get-object", "--bucket", bucket, "--key", "dir/object.bin", download);
        var directGet = await fixture.AwsDirectAsync("s3api", "get-object", "--bucket", bucket, "--key", "dir/object.bin", download + ".direct");

        Assert.True(created.ExitCode == 0, created + "\n" + fixture.Broker.Stderr);
        Assert.True(put.ExitCode == 0, put + "\n" + fixture.Broker.Stderr);
        Assert.True(got.ExitCode == 0, got + "\n" + fixture.Broker.Stderr);
        Assert.Equal(content, await File.ReadAllBytesAsync(download));
        Assert.Contains("request signed for s3 in us-east-1 (unsigned payload)", fixture.Broker.Stderr, StringComparison.Ordinal);
        Assert.True(directGet.ExitCode != 0, directGet.ToString());
        Assert.False(File.Exists(download + ".direct"));
    }

    [Fact]
    public async Task RealKeys_NeverReachTheAgentOrTheLogs()
    {
        var identity = await fixture.AwsThroughBrokerAsync("sts", "sts", "get-caller-identity");
        var logs = await fixture.Broker.Cli.RunAsync("logs", "--vault", AwsSigV4Fixture.Vault, "--json");

        Assert.True(identity.ExitCode == 0, identity.ToString());
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains("\"service\":\"aws\"", logs.Stdout, StringComparison.Ordinal);
        AssertNoRealKey(identity.Output + logs.Output + fixture.Broker.Stdout + fixture.Broker.Stderr);
    }

    private void AssertNoRealKey(string text)
    {
        Assert.DoesNotContain(fixture.Moto.SecretAccessKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Token, text, StringComparison.Ordinal);
    }
}
