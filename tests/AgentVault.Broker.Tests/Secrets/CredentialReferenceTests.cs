using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Tests.Secrets;

public sealed class CredentialReferenceTests
{
    [Theory]
    [InlineData("local:openai", "local", "openai", null, "openai")]
    [InlineData("hcv:secret/data/github#token", "hcv", "secret/data/github", "token", "secret/data/github")]
    [InlineData("aws:prod/stripe?stage=AWSPREVIOUS#api_key", "aws", "prod/stripe", "api_key", "prod/stripe?stage=AWSPREVIOUS")]
    [InlineData("aws:arn:aws:secretsmanager:us-east-1:1:secret:x", "aws", "arn:aws:secretsmanager:us-east-1:1:secret:x", null, "arn:aws:secretsmanager:us-east-1:1:secret:x")]
    [InlineData("inf:/payments/STRIPE_KEY", "inf", "/payments/STRIPE_KEY", null, "/payments/STRIPE_KEY")]
    [InlineData("azure:stripe-key/0123abcd", "azure", "stripe-key/0123abcd", null, "stripe-key/0123abcd")]
    [InlineData("hcv:kv/app?version=3&b=2#f", "hcv", "kv/app", "f", "kv/app?b=2&version=3")]
    [InlineData("hcv:kv/app?b=2&version=3", "hcv", "kv/app", null, "kv/app?b=2&version=3")]
    [InlineData("s:p?k=a%20b", "s", "p", null, "p?k=a%20b")]
    public void ValidReference_ParsesIntoParts(string text, string store, string path, string? field, string cacheKey)
    {
        Assert.True(CredentialReference.TryParse(text, out var reference, out var error), error);

        Assert.Equal(store, reference.Store);
        Assert.Equal(path, reference.Path);
        Assert.Equal(field, reference.Field);
        Assert.Equal(cacheKey, reference.CacheKey);
    }

    [Fact]
    public void Query_IsDecoded()
    {
        var reference = CredentialReference.Parse("aws:prod/x?version_id=a%2Fb&stage=AWSCURRENT");

        Assert.Equal("a/b", reference.Query["version_id"]);
        Assert.Equal("AWSCURRENT", reference.Query["stage"]);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("openai", "store name and a colon")]
    [InlineData(":openai", "store name and a colon")]
    [InlineData("Local:openai", "not a valid store name")]
    [InlineData("1st:x", "not a valid store name")]
    [InlineData("local:", "path after 'local:' is empty")]
    [InlineData("local:#field", "path after 'local:' is empty")]
    [InlineData("local:x#", "field after '#' is empty")]
    [InlineData("local:x?", "query after '?' is empty")]
    [InlineData("local:x?=1", "empty name")]
    [InlineData("local:x?a=1&a=2", "given twice")]
    [InlineData("local:open ai", "spaces")]
    [InlineData("local:x\n", "spaces or control")]
    public void InvalidReference_IsRefusedWithReason(string text, string expected)
    {
        Assert.False(CredentialReference.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_IsCanonical()
    {
        Assert.Equal("hcv:kv/app?a=1&b=2#f", CredentialReference.Parse("hcv:kv/app?b=2&a=1#f").ToString());
    }
}
