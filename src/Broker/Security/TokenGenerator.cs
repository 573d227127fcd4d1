using System.Buffers.Text;
using System.Security.Cryptography;

namespace AgentVault.Broker.Security;

/// <summary>Creates random tokens: <c>avt_</c> proxy tokens, <c>ava_</c> admin tokens, <c>tok_</c> public token ids.</summary>
public static class TokenGenerator
{
    public static string NewProxyToken() => "avt_" + Random(32);

    public static string NewAdminToken() => "ava_" + Random(32);

    public static string NewTokenId() => "tok_" + Random(12);

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));
}
