using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.StoreHttp;

/// <summary>
/// Sends JSON requests to a secret manager's REST API through the broker's client and maps transport failures to
/// <see cref="SecretStoreException"/> (Unavailable). Error messages name the store and the operation, never a value.
/// </summary>
public sealed class JsonApiClient
{
    private readonly HttpClient _client;
    private readonly Uri _baseAddress;
    private readonly string _storeLabel;

    /// <param name="storeLabel">How errors name the store, e.g. <c>Vault store 'prod'</c>.</param>
    public JsonApiClient(HttpClient client, Uri baseAddress, string storeLabel)
    {
        _client = client;
        _baseAddress = baseAddress;
        _storeLabel = storeLabel;
    }

    /// <summary>Calls <paramref name="relativeUri"/>; <paramref name="setHeaders"/> adds authentication headers; <paramref name="what"/> names the operation in errors.</summary>
    public async Task<JsonApiResponse> SendAsync(
        HttpMethod method, string relativeUri, JsonObject? body, Action<HttpRequestHeaders>? setHeaders, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress, relativeUri));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        setHeaders?.Invoke(request.Headers);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new JsonApiResponse(response.StatusCode, Parse(text));
        }
        catch (HttpRequestException ex)
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"{_storeLabel}: cannot reach {_baseAddress.Authority} ({what}): {ex.HttpRequestError}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"{_storeLabel}: {_baseAddress.Authority} timed out ({what})", ex);
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
            // A proxy or load balancer in front of the store may answer with HTML; the status code still tells what happened.
            return null;
        }
    }
}
