using System.Security.Cryptography;

namespace AgentVault.Plugins.Jwt;

/// <summary>Finds the private-key block in a PEM text (which may also hold certificates) and decodes it; errors name labels, never content.</summary>
public static class PemKeyReader
{
    public const string Pkcs8Label = "PRIVATE KEY";
    public const string RsaLabel = "RSA PRIVATE KEY";
    public const string EcLabel = "EC PRIVATE KEY";

    public static (string Label, byte[] Der) FindPrivateKey(string text)
    {
        // A PEM pasted into an environment variable or a JSON string often arrives with literal "\n" escapes.
        if (!text.Contains('\n', StringComparison.Ordinal) && text.Contains("\\n", StringComparison.Ordinal))
        {
            text = text.Replace("\\n", "\n", StringComparison.Ordinal);
        }

        var seen = new List<string>();
        var rest = text.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label].ToString();
            switch (label)
            {
                case Pkcs8Label or RsaLabel or EcLabel:
                    var der = new byte[fields.DecodedDataLength];
                    if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out var written))
                    {
                        throw new JwtKeyException($"The {label} block is not valid base64.");
                    }

                    return (label, written == der.Length ? der : der[..written]);
                case "ENCRYPTED PRIVATE KEY":
                    throw new JwtKeyException("The private key is encrypted (ENCRYPTED PRIVATE KEY); store it unencrypted, the secret store protects it.");
                case "OPENSSH PRIVATE KEY":
                    throw new JwtKeyException("The key is in OpenSSH format; convert it to PKCS#8 PEM (ssh-keygen -p -m PKCS8 -f FILE, or openssl pkcs8 -topk8 -nocrypt).");
                default:
                    seen.Add(label);
                    break;
            }

            rest = rest[fields.Location.End..];
        }

        throw new JwtKeyException(seen.Count == 0
            ? "The value is not a PEM private key: expected a '-----BEGIN PRIVATE KEY-----' (PKCS#8), 'RSA PRIVATE KEY' or 'EC PRIVATE KEY' block."
            : $"The PEM holds no private key, only: {string.Join(", ", seen)}.");
    }
}
