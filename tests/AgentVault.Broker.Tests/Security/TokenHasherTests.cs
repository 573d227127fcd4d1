using AgentVault.Broker.Security;

namespace AgentVault.Broker.Tests.Security;

public sealed class TokenHasherTests
{
    [Fact]
    public void Hash_IsLowerHexSha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenHasher.Hash("abc"));
    }

    [Theory]
    [InlineData("a", "a", true)]
    [InlineData("a", "b", false)]
    [InlineData("abc", "ab", false)]
    [InlineData("", "", true)]
    public void FixedTimeEquals_ComparesWholeValues(string left, string right, bool expected)
    {
        Assert.Equal(expected, TokenHasher.FixedTimeEquals(left, right));
    }

    [Fact]
    public void GeneratedTokens_HaveTheDocumentedShapeAndDiffer()
    {
        var admin = TokenGenerator.NewAdminToken();
        var proxy = TokenGenerator.NewProxyToken();

        Assert.Matches("^ava_[A-Za-z0-9_-]{43}$", admin);
        Assert.Matches("^avt_[A-Za-z0-9_-]{43}$", proxy);
        Assert.NotEqual(admin, TokenGenerator.NewAdminToken());
    }
}
