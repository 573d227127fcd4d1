using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.Infisical;

/// <summary>Sends requests to Infisical's REST API through the broker's client; maps transport failures to <see cref="SecretStoreException"/>.</summary>
internal sealed class InfisicalHttp
{
    private readonly HttpClient _client;
    private readonly Uri _site;
    private readonly string _storeName;

    public InfisicalHttp(HttpClient client, Uri site, string storeName)
    {
        _client = client;
        _site = site;
        _storeName = storeName;
    }

    /// <summary>Calls <paramref name="relativeUri"/> (e.g. <c>api/v3/secrets/raw/X?…</c>); <paramref name="what"/> names the operation in errors.</summary>
    public async Task<InfisicalResponse> SendAsync(HttpMethod method, string relativeUri, JsonObject? body, string? accessToken, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_site, relativeUri));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new InfisicalResponse(response.StatusCode, Parse(text));
        }
        catch (HttpRequestException ex)
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"Infisical store '{_storeName}': cannot reach {_site.Authority} ({what}): {ex.HttpRequestError}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"Infisical store '{_storeName}': {_site.Authority} timed out ({what})", ex);
        }
    }

    private static JsonObject? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // A proxy in front of Infisical may answer with HTML; the status code still tells what happened.
            return null;
        }
    }
}
