using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace AgentVault.Plugins.OAuth2;

/// <summary>How the client authenticates at the token endpoint (RFC 6749 §2.3.1).</summary>
internal static class ClientAuthentication
{
    public const string Basic = "client_secret_basic";
    public const string Post = "client_secret_post";

    /// <summary>HTTP Basic with the id and secret each form-urlencoded first, as §2.3.1 requires (a ':' in the id stays unambiguous).</summary>
    public static AuthenticationHeaderValue BasicHeader(string clientId, string clientSecret)
    {
        var pair = FormEncode(clientId) + ":" + FormEncode(clientSecret);
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
    }

    /// <summary>Adds the client credentials to <paramref name="form"/> for <c>client_secret_post</c>, or returns the Basic header.</summary>
    public static AuthenticationHeaderValue? Apply(string method, string clientId, string? clientSecret, List<KeyValuePair<string, string>> form)
    {
        if (clientSecret is null)
        {
            // A public client identifies itself in the body (§2.3).
            form.Add(new("client_id", clientId));
            return null;
        }

        if (method == Post)
        {
            form.Add(new("client_id", clientId));
            form.Add(new("client_secret", clientSecret));
            return null;
        }

        return BasicHeader(clientId, clientSecret);
    }

    private static string FormEncode(string value) => WebUtility.UrlEncode(value);
}
