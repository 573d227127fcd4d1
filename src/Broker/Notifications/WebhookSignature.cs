using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentVault.Broker.Notifications;

/// <summary>
/// The <c>X-Agent-Vault-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;lowercase hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;"&gt;</c>
/// keyed with the hook's secret (docs/notifications.md). The timestamp inside the signed text lets a receiver refuse replays.
/// </summary>
internal static class WebhookSignature
{
    public const string HeaderName = "X-Agent-Vault-Signature";

    public static string Compute(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var key = Encoding.UTF8.GetBytes(secret);
        try
        {
            return string.Create(CultureInfo.InvariantCulture, $"t={unixSeconds},v1={Convert.ToHexStringLower(HMACSHA256.HashData(key, signed))}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
