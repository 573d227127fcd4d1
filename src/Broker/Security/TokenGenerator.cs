using System.Buffers.Text;
using System.Security.Cryptography;

namespace AgentVault.Broker.Security;

/// <summary>Creates random tokens: <c>avt_</c> proxy tokens, <c>ava_</c> admin tokens, <c>avs_</c> session tokens, <c>avc_</c> sign-in codes, <c>tok_</c> public token ids.</summary>
public static class TokenGenerator
{
    public static string NewProxyToken() => "avt_" + Random(32);

    public static string NewAdminToken() => "ava_" + Random(32);

    public static string NewTokenId() => "tok_" + Random(12);

    /// <summary>A person's session token (<c>avs_</c>).</summary>
    public static string NewSessionToken() => "avs_" + Random(32);

    /// <summary>A one-time code of the CLI's browser sign-in (<c>avc_</c>).</summary>
    public static string NewLoginCode() => "avc_" + Random(32);

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
