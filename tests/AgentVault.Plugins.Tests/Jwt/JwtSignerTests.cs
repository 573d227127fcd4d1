using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using AgentVault.Plugins.Jwt;

namespace AgentVault.Plugins.Tests.Jwt;

public sealed class JwtSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("rsa-pkcs8", "RS256")]
    [InlineData("rsa-pkcs1", "RS256")]
    [InlineData("ec-pkcs8", "ES256")]
    [InlineData("ec-sec1", "ES256")]
    public void EachPemEncoding_SignsTokenThePublicKeyVerifies(string kind, string alg)
    {
        var (pem, publicKey) = TestKeys.Create(kind);
        using var _ = publicKey;
        using var key = JwtSigningKey.FromPem(pem);

        var token = JwtSigner.Create(key, key.Algorithm, Claims(), keyId: "key-1");

        Assert.Equal(alg, key.Algorithm.ToString());
        Assert.True(TestKeys.Verify(token, publicKey));
        var header = Json(token, 0);
        Assert.Equal(alg, header["alg"]!.GetValue<string>());
        Assert.Equal("JWT", header["typ"]!.GetValue<string>());
        Assert.Equal("key-1", header["kid"]!.GetValue<string>());
    }

    [Fact]
    public void Claims_AreWrittenWithTheirJsonTypes()
    {
        var (pem, publicKey) = TestKeys.Create("rsa-pkcs8");
        using var _ = publicKey;
        using var key = JwtSigningKey.FromPem(pem);

        var payload = Json(JwtSigner.Create(key, JwsAlgorithm.RS256, Claims()), 1);

        Assert.Equal("12345", payload["iss"]!.GetValue<string>());
        Assert.Equal(Now.ToUnixTimeSeconds(), payload["iat"]!.GetValue<long>());
        Assert.Equal(600, payload["n"]!.GetValue<int>());
        Assert.True(payload["flag"]!.GetValue<bool>());
        Assert.Equal(["a", "b"], payload["aud"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("x", payload["nested"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public void NoKeyId_HeaderHasNoKid()
    {
        var (pem, publicKey) = TestKeys.Create("ec-pkcs8");
        using var _ = publicKey;
        using var key = JwtSigningKey.FromPem(pem);

        var header = Json(JwtSigner.Create(key, JwsAlgorithm.ES256, Claims()), 0);

        Assert.False(header.ContainsKey("kid"));
    }

    [Theory]
    [InlineData("rsa-pkcs8")]
    [InlineData("ec-sec1")]
    public void TamperedPayload_FailsVerification(string kind)
    {
        var (pem, publicKey) = TestKeys.Create(kind);
        using var _ = publicKey;
        using var key = JwtSigningKey.FromPem(pem);
        var parts = JwtSigner.Create(key, key.Algorithm, Claims()).Split('.');

        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"iss\":\"99999\"}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var tampered = $"{parts[0]}.{forged}.{parts[2]}";

        Assert.False(TestKeys.Verify(tampered, publicKey));
    }

    [Fact]
    public void OtherKey_FailsVerification()
    {
        var (pem, publicKey) = TestKeys.Create("rsa-pkcs8");
        var (_, otherPublicKey) = TestKeys.Create("rsa-pkcs8");
        using var a = publicKey;
        using var b = otherPublicKey;
        using var key = JwtSigningKey.FromPem(pem);

        Assert.False(TestKeys.Verify(JwtSigner.Create(key, JwsAlgorithm.RS256, Claims()), otherPublicKey));
    }

    [Fact]
    public void CertificateBeforeKey_AndEscapedNewlines_AreAccepted()
    {
        var (pem, publicKey) = TestKeys.Create("rsa-pkcs1");
        using var _ = publicKey;
        using var rsa = RSA.Create(2048);
        var certificate = new CertificateRequest("CN=test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(Now, Now.AddDays(1));
        var bundle = certificate.ExportCertificatePem() + "\n" + pem;
        var escaped = pem.Replace("\n", "\\n", StringComparison.Ordinal);

        using var fromBundle = JwtSigningKey.FromPem(bundle);
        using var fromEscaped = JwtSigningKey.FromPem(escaped);

        Assert.True(TestKeys.Verify(JwtSigner.Create(fromBundle, JwsAlgorithm.RS256, Claims()), publicKey));
        Assert.True(TestKeys.Verify(JwtSigner.Create(fromEscaped, JwsAlgorithm.RS256, Claims()), publicKey));
    }

    [Theory]
    [InlineData("not-pem", "not a PEM private key")]
    [InlineData("public", "no private key, only: PUBLIC KEY")]
    [InlineData("encrypted", "encrypted")]
    [InlineData("rsa-1024", "1024 bits")]
    [InlineData("ec-p384", "P-256")]
    [InlineData("openssh", "OpenSSH")]
    [InlineData("garbage-pkcs8", "neither a readable RSA nor EC key")]
    public void UnusableKey_ThrowsClearErrorWithoutKeyMaterial(string kind, string expected)
    {
        var pem = BadPem(kind);

        var ex = Assert.Throws<JwtKeyException>(() => JwtSigningKey.FromPem(pem));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        foreach (var line in pem.Split('\n').Where(l => l.Length > 20 && !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(line, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AlgorithmNotMatchingKey_Throws()
    {
        var (pem, publicKey) = TestKeys.Create("rsa-pkcs8");
        using var _ = publicKey;
        using var key = JwtSigningKey.FromPem(pem);

        var ex = Assert.Throws<JwtKeyException>(() => JwtSigner.Create(key, JwsAlgorithm.ES256, Claims()));

        Assert.Contains("RSA 2048-bit", ex.Message, StringComparison.Ordinal);
        Assert.Equal("JwtSigningKey(RSA 2048-bit)", key.ToString());
    }

    private static Dictionary<string, object?> Claims() => new()
    {
        ["iss"] = "12345",
        ["iat"] = Now,
        ["n"] = 600,
        ["flag"] = true,
        ["aud"] = new[] { "a", "b" },
        ["nested"] = new JsonObject { ["k"] = "x" },
    };

    private static JsonObject Json(string token, int part) =>
        JsonNode.Parse(TestKeys.FromBase64Url(token.Split('.')[part]))!.AsObject();

    private static string BadPem(string kind)
    {
        using var rsa = RSA.Create(2048);
        switch (kind)
        {
            case "not-pem":
                return "this is not a key at all";
            case "public":
                return rsa.ExportSubjectPublicKeyInfoPem();
            case "encrypted":
                return rsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
            case "rsa-1024":
                using (var small = RSA.Create(1024))
                {
                    return small.ExportPkcs8PrivateKeyPem();
                }

            case "ec-p384":
                using (var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384))
                {
                    return p384.ExportPkcs8PrivateKeyPem();
                }

            case "openssh":
                return "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n";
            default:
                return PemEncodingOf("PRIVATE KEY", RandomNumberGenerator.GetBytes(300));
        }
    }

    private static string PemEncodingOf(string label, byte[] data) => new(PemEncoding.Write(label, data));
}
