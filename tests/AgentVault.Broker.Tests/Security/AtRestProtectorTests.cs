using System.Security.Cryptography;
using System.Text;
using AgentVault.Broker.Security;

namespace AgentVault.Broker.Tests.Security;

public sealed class AtRestProtectorTests
{
    internal static AtRestProtector NewProtector(out DataKeyRing ring)
    {
        ring = new DataKeyRing();
        ring.Set(RandomNumberGenerator.GetBytes(32));
        return new AtRestProtector(ring);
    }

    [Theory]
    [InlineData("")]
    [InlineData("s3cr3t-value")]
    [InlineData("a longer value with unicode: ✓ and newlines\n\n")]
    public void ProtectThenUnprotect_RoundTrips(string value)
    {
        var protector = NewProtector(out var ring);
        using var _ = ring;

        var sealedBytes = protector.Protect(Encoding.UTF8.GetBytes(value), "file-store/secret/openai");

        Assert.Equal(value, Encoding.UTF8.GetString(protector.Unprotect(sealedBytes, "file-store/secret/openai")));
        Assert.Equal(1, sealedBytes[0]);
        Assert.Equal(1 + 12 + Encoding.UTF8.GetByteCount(value) + 16, sealedBytes.Length);
    }

    [Fact]
    public void Protect_SameValueTwice_GivesDifferentCiphertexts()
    {
        var protector = NewProtector(out var ring);
        using var _ = ring;

        var first = protector.Protect("same"u8, "aad");
        var second = protector.Protect("same"u8, "aad");

        Assert.NotEqual(first, second);
        Assert.DoesNotContain("same", Encoding.Latin1.GetString(first), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]   // format version
    [InlineData(5)]   // nonce
    [InlineData(14)]  // ciphertext
    [InlineData(-1)]  // tag (last byte)
    public void Unprotect_FlippedByte_Throws(int position)
    {
        var protector = NewProtector(out var ring);
        using var _ = ring;
        var sealedBytes = protector.Protect("the secret value"u8, "aad");
        var index = position >= 0 ? position : sealedBytes.Length + position;

        sealedBytes[index] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedBytes, "aad"));
    }

    [Fact]
    public void Unprotect_WithOtherAssociatedData_Throws()
    {
        var protector = NewProtector(out var ring);
        using var _ = ring;
        var sealedBytes = protector.Protect("value"u8, "file-store/secret/a");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedBytes, "file-store/secret/b"));
    }

    [Fact]
    public void Unprotect_WithAnotherDataKey_Throws()
    {
        var protector = NewProtector(out var ring);
        var other = NewProtector(out var otherRing);
        using var _ = ring;
        using var __ = otherRing;

        var sealedBytes = protector.Protect("value"u8, "aad");

        Assert.ThrowsAny<CryptographicException>(() => other.Unprotect(sealedBytes, "aad"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(28)]
    public void Unprotect_TruncatedInput_Throws(int length)
    {
        var protector = NewProtector(out var ring);
        using var _ = ring;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(new byte[length], "aad"));
    }

    [Fact]
    public void Protect_WithoutAssociatedData_IsRefused()
    {
        var protector = NewProtector(out var ring);
        using var _ = ring;

        Assert.Throws<ArgumentException>(() => protector.Protect("value"u8, string.Empty));
    }

    [Fact]
    public void Protect_BeforeUnlock_FailsClosed()
    {
        using var ring = new DataKeyRing();
        var protector = new AtRestProtector(ring);

        Assert.Throws<InvalidOperationException>(() => protector.Protect("value"u8, "aad"));
    }
}
