using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;
using AgentVault.Plugins.Tokens;

namespace AgentVault.Plugins.GitHubApp;

/// <summary>
/// <c>POST /app/installations/{id}/access_tokens</c> with the app JWT, through the broker's client
/// (https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app). Failures become
/// <see cref="AuthSchemeException"/> with the HTTP status and GitHub's message, never a token or the key.
/// </summary>
internal static class InstallationTokenClient
{
    private static readonly string UserAgent = $"agent-vault/{typeof(InstallationTokenClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0"} (github-app)";

    public static async Task<InstallationToken> RequestAsync(
        HttpClient client, Uri tokenUrl, string appJwt, JsonObject? body, string privateKeyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", appJwt);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        request.Headers.Add("X-GitHub-Api-Version", "2022-11-28");
        request.Headers.UserAgent.ParseAdd(UserAgent);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        var (status, document) = await JsonEndpointCall.SendAsync(client, request, $"GitHub ({Describe(tokenUrl)})", cancellationToken);
        using (document)
        {
            if ((int)status is < 200 or > 299)
            {
                throw Refused(status, GitHubErrorMessage.From(document, appJwt), tokenUrl, privateKeyKey);
            }

            return Parse(document, tokenUrl);
        }
    }

    private static InstallationToken Parse(JsonDocument? document, Uri tokenUrl)
    {
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object ||
            !document.RootElement.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String ||
            string.IsNullOrEmpty(token.GetString()))
        {
            throw new AuthSchemeException($"GitHub ({Describe(tokenUrl)}) answered without an installation token.");
        }

        if (!document.RootElement.TryGetProperty("expires_at", out var expires) || expires.ValueKind != JsonValueKind.String ||
            !DateTimeOffset.TryParse(expires.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiresAt))
        {
            throw new AuthSchemeException($"GitHub ({Describe(tokenUrl)}) answered without a readable expires_at.");
        }

        return new InstallationToken(token.GetString()!, expiresAt);
    }

    private static AuthSchemeException Refused(HttpStatusCode status, string? message, Uri tokenUrl, string privateKeyKey)
    {
        var code = (int)status;
        var said = $"HTTP {code}" + (message is null ? string.Empty : $": {message}");
        return status switch
        {
            HttpStatusCode.Unauthorized => new AuthSchemeException(
                $"GitHub rejected the app JWT ({said}); check app_id, that {privateKeyKey} holds a current private key of that app, and the broker's clock.",
                privateKeyKey),
            HttpStatusCode.NotFound => new AuthSchemeException(
                $"GitHub found no installation at {Describe(tokenUrl)} for this app ({said}); check installation_id and that the app is installed."),
            HttpStatusCode.UnprocessableEntity => new AuthSchemeException(
                $"GitHub refused the requested repositories or permissions ({said}); they must be within what the installation was granted."),
            _ => new AuthSchemeException($"GitHub refused an installation token at {Describe(tokenUrl)} ({said})."),
        };
    }

    private static string Describe(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}
