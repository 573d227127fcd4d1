using System.Net.Http.Headers;
using AgentVault.Plugins.SigV4;

namespace AgentVault.Plugins.Tests.SigV4;

public sealed class SigV4SignerOptionsTests
{
    private static readonly AwsCredentials Credentials = new(SigV4TestSuiteTests.KeyId, SigV4TestSuiteTests.Secret);

    [Fact]
    public async Task ContentSha256Option_SendsAndSignsBodyHash()
    {
        using var request = FormPost();
        var options = new SigV4SigningOptions { Region = "us-east-1", Service = "service", IncludeContentSha256Header = true };

        await SigV4Signer.SignAsync(request, Credentials, options, SigV4TestSuiteTests.SuiteTime, CancellationToken.None);

        Assert.Equal("9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e", Assert.Single(request.Headers.GetValues("X-Amz-Content-Sha256")));
        Assert.Contains("SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date,", SigV4TestSuiteTests.Authorization(request), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnsignedPayloadOption_SignsLiteralInsteadOfBody()
    {
        using var unsigned = FormPost();
        using var precomputed = FormPost();
        var unsignedOptions = new SigV4SigningOptions
        {
            Region = "us-east-1", Service = "s3", UnsignedPayload = true, IncludeContentSha256Header = true,
        };
        var precomputedOptions = new SigV4SigningOptions
        {
            Region = "us-east-1", Service = "s3", PrecomputedPayloadHash = "UNSIGNED-PAYLOAD", IncludeContentSha256Header = true,
        };

        await SigV4Signer.SignAsync(unsigned, Credentials, unsignedOptions, SigV4TestSuiteTests.SuiteTime, CancellationToken.None);
        await SigV4Signer.SignAsync(precomputed, Credentials, precomputedOptions, SigV4TestSuiteTests.SuiteTime, CancellationToken.None);

        Assert.Equal("UNSIGNED-PAYLOAD", Assert.Single(unsigned.Headers.GetValues("X-Amz-Content-Sha256")));
        Assert.Equal(SigV4TestSuiteTests.Authorization(precomputed), SigV4TestSuiteTests.Authorization(unsigned));
    }

    [Fact]
    public async Task RequestAlreadySigned_OldSignatureHeadersAreReplaced()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        request.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AGENT/...");
        request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", "agent-token");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20000101T000000Z");

        await SigV4Signer.SignAsync(request, Credentials, SigV4TestSuiteTests.SuiteOptions(), SigV4TestSuiteTests.SuiteTime, CancellationToken.None);

        Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
        Assert.EndsWith("Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", SigV4TestSuiteTests.Authorization(request));
    }

    [Theory]
    [InlineData("http://127.0.0.1:4566/", "127.0.0.1:4566")]
    [InlineData("https://example.amazonaws.com:443/", "example.amazonaws.com")]
    [InlineData("https://[::1]:8443/", "[::1]:8443")]
    public void HostHeader_IncludesNonDefaultPortOnly(string url, string expectedHost)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);

        var (canonical, _) = SigV4Canonicalizer.Build(request, SigV4Signer.EmptyPayloadHash, doubleEncodePath: true);

        Assert.Contains("\nhost:" + expectedHost + "\n", canonical, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a b/c", true, "/a%2520b/c")]
    [InlineData("/a b/c", false, "/a%20b/c")]
    [InlineData("/documents and settings/", false, "/documents%20and%20settings/")]
    [InlineData("/key=a+b", false, "/key%3Da%2Bb")]
    public void CanonicalPath_EncodesPerService(string path, bool doubleEncode, string expected)
    {
        var escaped = new Uri("https://example.amazonaws.com" + path).AbsolutePath;

        Assert.Equal(expected, SigV4Canonicalizer.CanonicalPath(escaped, doubleEncode));
    }

    [Theory]
    [InlineData("?b=2&a=1", "a=1&b=2")]
    [InlineData("?Param1", "Param1=")]
    [InlineData("?a=x%2Fy&b=2%203", "a=x%2Fy&b=2%203")]
    [InlineData("?a=%e1%88%b4", "a=%E1%88%B4")]
    [InlineData("", "")]
    public void CanonicalQuery_SortsAndNormalizesEncoding(string query, string expected) =>
        Assert.Equal(expected, SigV4Canonicalizer.CanonicalQuery(query));

    [Fact]
    public void Credentials_ToStringOmitsSecretAndToken()
    {
        var credentials = new AwsCredentials("AKIDEXAMPLE", "very-secret-key", "session-token-value");

        var text = credentials.ToString();

        Assert.DoesNotContain("very-secret-key", text, StringComparison.Ordinal);
        Assert.DoesNotContain("session-token-value", text, StringComparison.Ordinal);
    }

    private static HttpRequestMessage FormPost()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/") { Content = new StringContent("Param1=value1") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return request;
    }
}
