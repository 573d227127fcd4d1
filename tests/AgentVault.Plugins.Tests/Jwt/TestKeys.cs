using System.Security.Cryptography;

namespace AgentVault.Plugins.Tests.Jwt;

/// <summary>Generates private keys in each PEM encoding the signer reads, with the public key to verify against.</summary>
internal static class TestKeys
{
    public static (string Pem, AsymmetricAlgorithm PublicKey) Create(string kind)
    {
        switch (kind)
        {
            case "rsa-pkcs8":
            case "rsa-pkcs1":
            {
                var rsa = RSA.Create(2048);
                var pem = kind == "rsa-pkcs8" ? rsa.ExportPkcs8PrivateKeyPem() : rsa.ExportRSAPrivateKeyPem();
                return (pem, rsa);
            }

            case "ec-pkcs8":
            case "ec-sec1":
            {
                var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var pem = kind == "ec-pkcs8" ? ecdsa.ExportPkcs8PrivateKeyPem() : ecdsa.ExportECPrivateKeyPem();
                return (pem, ecdsa);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown key kind");
        }
    }

    /// <summary>Verifies a compact JWS with the public key, independently of the signer under test.</summary>
    public static bool Verify(string token, AsymmetricAlgorithm publicKey)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return false;
        }

        var input = System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = FromBase64Url(parts[2]);
        return publicKey switch
        {
            RSA rsa => rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => signature.Length == 64 &&
                           ecdsa.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            _ => false,
        };
    }

    public static byte[] FromBase64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - (padded.Length % 4)) % 4);
        return Convert.FromBase64String(padded);
    }
}
