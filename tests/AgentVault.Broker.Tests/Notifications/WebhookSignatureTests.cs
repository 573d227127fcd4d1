using System.Text;
using AgentVault.Broker.Notifications;

namespace AgentVault.Broker.Tests.Notifications;

public sealed class WebhookSignatureTests
{
    // Cross-checked outside .NET: printf '%s' '1700000000.{"event":"proposal.created","id":"prp_1"}' | openssl dgst -sha256 -hmac whsec_test_key
    [Fact]
    public void FixedVector_MatchesOpenSsl()
    {
        var body = Encoding.UTF8.GetBytes("""{"event":"proposal.created","id":"prp_1"}""");

        var header = WebhookSignature.Compute("whsec_test_key", 1700000000, body);

        Assert.Equal("t=1700000000,v1=f0ceb71b64789e7fec5c2734d76a7b87bf41b117a3abd2f90838a80ce3dd700c", header);
    }

    [Fact]
    public void AnotherTimestampOrBody_ChangesTheSignature()
    {
        var body = Encoding.UTF8.GetBytes("""{"event":"proposal.created","id":"prp_1"}""");
        var reference = WebhookSignature.Compute("whsec_test_key", 1700000000, body);

        Assert.NotEqual(V1(reference), V1(WebhookSignature.Compute("whsec_test_key", 1700000001, body)));
        Assert.NotEqual(reference, WebhookSignature.Compute("whsec_test_key", 1700000000, Encoding.UTF8.GetBytes("""{"event":"proposal.created","id":"prp_2"}""")));
        Assert.NotEqual(reference, WebhookSignature.Compute("whsec_other_key", 1700000000, body));
    }

    [Fact]
    public void Header_NeverContainsTheSecret()
    {
        const string secret = "whsec-must-not-appear";

        var header = WebhookSignature.Compute(secret, 1700000000, Encoding.UTF8.GetBytes("{}"));

        Assert.DoesNotContain(secret, header, StringComparison.Ordinal);
        Assert.Matches("^t=1700000000,v1=[0-9a-f]{64}$", header);
    }

    private static string V1(string header) => header[(header.IndexOf(",v1=", StringComparison.Ordinal) + 4)..];
}
