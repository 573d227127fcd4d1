using System.Net.Http.Headers;
using System.Text;
using AgentVault.Plugins.SigV4;

namespace AgentVault.Plugins.Tests.SigV4;

/// <summary>
/// The published AWS Signature Version 4 test suite (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z,
/// us-east-1, service "service") and the IAM ListUsers example of the AWS signing documentation.
/// </summary>
public sealed class SigV4TestSuiteTests
{
    internal const string KeyId = "AKIDEXAMPLE";
    internal const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    internal static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string Host = "https://example.amazonaws.com";
    private const string Unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static TheoryData<string, string, string, string[], string, string> Vectors => new()
    {
        // name, method, url, headers ("Name:value", repeated names allowed), signed headers, signature
        { "get-vanilla", "GET", Host + "/", [], "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "get-vanilla-empty-path", "GET", Host, [], "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "get-vanilla-query-order-key-case", "GET", Host + "/?Param2=value2&Param1=value1", [], "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
        { "get-vanilla-query-order-key", "GET", Host + "/?Param1=value2&Param1=value1", [], "host;x-amz-date", "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694" },
        { "get-vanilla-query-order-value", "GET", Host + "/?Param1=value2&Param1=Value1", [], "host;x-amz-date", "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1" },
        { "get-vanilla-query-unreserved", "GET", Host + "/?" + Unreserved + "=" + Unreserved, [], "host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197" },
        { "get-vanilla-utf8-query", "GET", Host + "/?\u1234=bar", [], "host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04" },
        { "get-unreserved", "GET", Host + "/" + Unreserved, [], "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
        { "get-relative", "GET", Host + "/example/..", [], "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "get-header-value-trim", "GET", Host + "/", ["My-Header1: value1 ", "My-Header2: \"a   b   c\""], "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
        { "get-header-key-duplicate", "GET", Host + "/", ["My-Header1:value2", "My-Header1:value2", "My-Header1:value1"], "host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task SuiteVector_SignsToPublishedSignature(string name, string method, string url, string[] headers, string signedHeaders, string signature)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            request.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 1)..]);
        }

        await SigV4Signer.SignAsync(request, new AwsCredentials(KeyId, Secret), SuiteOptions(), SuiteTime, CancellationToken.None);

        Assert.True(name.Length > 0);
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}",
            Authorization(request));
        Assert.Equal("20150830T123600Z", Assert.Single(request.Headers.GetValues("X-Amz-Date")));
    }

    [Fact]
    public async Task GetUtf8PathEncodedOnce_SignsToPublishedSignature()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Host + "/\u1234");
        var options = new SigV4SigningOptions { Region = "us-east-1", Service = "service", DoubleEncodePath = false };

        await SigV4Signer.SignAsync(request, new AwsCredentials(KeyId, Secret), options, SuiteTime, CancellationToken.None);

        Assert.EndsWith("Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85", Authorization(request));
    }

    [Fact]
    public async Task PostFormUrlEncoded_HashesBodyAndSignsContentType()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Host + "/") { Content = new StringContent("Param1=value1") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        await SigV4Signer.SignAsync(request, new AwsCredentials(KeyId, Secret), SuiteOptions(), SuiteTime, CancellationToken.None);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a",
            Authorization(request));
        Assert.Equal("Param1=value1", await request.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SessionToken_IsSentAndSigned()
    {
        const string token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        using var request = new HttpRequestMessage(HttpMethod.Get, Host + "/");

        await SigV4Signer.SignAsync(request, new AwsCredentials(KeyId, Secret, token), SuiteOptions(), SuiteTime, CancellationToken.None);

        Assert.Equal(token, Assert.Single(request.Headers.GetValues("X-Amz-Security-Token")));
        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, "
            + "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
            Authorization(request));
    }

    [Fact]
    public async Task IamListUsersDocumentationExample_MatchesEveryPublishedStep()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08")
        {
            Content = new ByteArrayContent([]),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded; charset=utf-8");
        request.Headers.TryAddWithoutValidation("X-Amz-Date", "20150830T123600Z");

        var (canonical, signedHeaders) = SigV4Canonicalizer.Build(request, SigV4Signer.EmptyPayloadHash, doubleEncodePath: true);
        Assert.Equal("content-type;host;x-amz-date", signedHeaders);
        Assert.Equal("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59", SigV4Signer.HexSha256(Encoding.UTF8.GetBytes(canonical)));
        Assert.Equal(
            "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9",
            Convert.ToHexStringLower(SigV4Signer.DeriveSigningKey(Secret, "20150830", "us-east-1", "iam")));

        var options = new SigV4SigningOptions { Region = "us-east-1", Service = "iam" };
        await SigV4Signer.SignAsync(request, new AwsCredentials(KeyId, Secret), options, SuiteTime, CancellationToken.None);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, "
            + "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            Authorization(request));
    }

    internal static SigV4SigningOptions SuiteOptions() => new() { Region = "us-east-1", Service = "service" };

    internal static string Authorization(HttpRequestMessage request) => Assert.Single(request.Headers.GetValues("Authorization"));
}
