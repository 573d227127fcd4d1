using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Auth;

namespace AgentVault.Plugins.GitHubApp;

/// <summary>
/// <c>POST /app/installations/{id}/access_tokens</c> with the app JWT, through the broker's client
/// (https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app). Failures become
/// <see cref="AuthSchemeException"/> with the HTTP status and GitHub's message, never a token or the key.
/// </summary>
internal static class InstallationTokenClient
{
    private const int MaxResponseBytes = 256 * 1024;
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

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new AuthSchemeException($"GitHub ({Describe(tokenUrl)}) could not be reached ({ex.HttpRequestError}).", null, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AuthSchemeException($"GitHub ({Describe(tokenUrl)}) did not answer in time.", null, ex);
        }

        using (response)
        {
            using var document = await ReadJsonAsync(response.Content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw Refused(response.StatusCode, GitHubErrorMessage.From(document, appJwt), tokenUrl, privateKeyKey);
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

    private static async Task<JsonDocument?> ReadJsonAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new AuthSchemeException("GitHub answered the installation token request with a body larger than 256 KiB.");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return buffer.Length == 0 ? null : JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(Uri uri) => uri.GetLeftPart(UriPartial.Path);
}
