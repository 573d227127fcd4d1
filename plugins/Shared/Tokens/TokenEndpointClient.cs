using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentVault.Abstractions.Auth;

namespace AgentVault.Plugins.Tokens;

/// <summary>
/// Calls an OAuth 2.0 token endpoint with a form body (RFC 6749 §3.2) through the broker's client and parses the answer.
/// Failures become <see cref="AuthSchemeException"/> naming the HTTP status and the OAuth <c>error</c> code only.
/// </summary>
public static class TokenEndpointClient
{
    public static async Task<TokenResponse> RequestAsync(
        HttpClient client, Uri tokenUrl, IEnumerable<KeyValuePair<string, string>> form, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = authorization;
        return await SendAsync(client, request, cancellationToken);
    }

    /// <summary>Sends a prepared request to a token-issuing endpoint and parses a token response (used for non-form endpoints too).</summary>
    /// <summary>Sends a prepared request to a token-issuing endpoint and returns its JSON object; any other answer is an <see cref="AuthSchemeException"/>.</summary>
    public static async Task<JsonDocument> SendForJsonAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (status, document) = await JsonEndpointCall.SendAsync(client, request, $"The token endpoint {Describe(request.RequestUri)}", cancellationToken);
        if ((int)status is < 200 or > 299 || document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var code = document is not null && document.RootElement.ValueKind == JsonValueKind.Object &&
                       document.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String
                ? SafeCode(e.GetString())
                : null;
            document?.Dispose();
            throw new AuthSchemeException(
                $"The token endpoint {Describe(request.RequestUri)} refused the request: HTTP {(int)status}" +
                (code is null ? "." : $", error '{code}'."));
        }

        return document;
    }

    private static async Task<TokenResponse> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var document = await SendForJsonAsync(client, request, cancellationToken);
        var root = document.RootElement;
        var accessToken = String(root, "access_token");
        if (string.IsNullOrEmpty(accessToken))
        {
            throw new AuthSchemeException($"The token endpoint {Describe(request.RequestUri)} answered without an access_token.");
        }

        TimeSpan? expiresIn = null;
        if (root.TryGetProperty("expires_in", out var exp))
        {
            // Some servers send the number as a string.
            if (exp.ValueKind == JsonValueKind.Number && exp.TryGetInt64(out var n) && n > 0)
            {
                expiresIn = TimeSpan.FromSeconds(n);
            }
            else if (exp.ValueKind == JsonValueKind.String && long.TryParse(exp.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0)
            {
                expiresIn = TimeSpan.FromSeconds(s);
            }
        }

        var tokenType = String(root, "token_type");
        if (tokenType is not null && !tokenType.Equals("bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new AuthSchemeException($"The token endpoint {Describe(request.RequestUri)} issued a '{SafeCode(tokenType)}' token; only Bearer tokens are supported.");
        }

        return new TokenResponse(accessToken, tokenType, expiresIn, String(root, "refresh_token"));
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // An OAuth error code is a short ASCII word (RFC 6749 §5.2); anything else is not repeated.
    private static string? SafeCode(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 64)
        {
            return null;
        }

        var builder = new StringBuilder();
        foreach (var c in code)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return null;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static string Describe(Uri? uri) => uri is null ? "(none)" : uri.GetLeftPart(UriPartial.Path);
}
