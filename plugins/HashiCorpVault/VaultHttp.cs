using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>Sends requests to Vault's HTTP API (<c>/v1/…</c>) through the broker's client; maps transport failures to <see cref="SecretStoreException"/>.</summary>
internal sealed class VaultHttp
{
    private readonly HttpClient _client;
    private readonly VaultSettings _settings;
    private readonly string _storeName;

    public VaultHttp(HttpClient client, VaultSettings settings, string storeName)
    {
        _client = client;
        _settings = settings;
        _storeName = storeName;
    }

    /// <summary>Calls <c>/v1/{apiPath}{query}</c>; <paramref name="what"/> names the operation in errors (never a value).</summary>
    public async Task<VaultResponse> SendAsync(HttpMethod method, string apiPath, string query, JsonObject? body, string? token, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(_settings.Address, "v1/" + apiPath + query));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Vault-Token", token);
        }

        if (_settings.Namespace is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Vault-Namespace", _settings.Namespace);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new VaultResponse(response.StatusCode, ParseBody(text));
        }
        catch (HttpRequestException ex)
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"Vault store '{_storeName}': cannot reach {_settings.Address.Authority} ({what}): {ex.HttpRequestError}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SecretStoreException(SecretErrorCategory.Unavailable, $"Vault store '{_storeName}': {_settings.Address.Authority} timed out ({what})", ex);
        }
    }

    private static JsonObject? ParseBody(string text)
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
            // A proxy or load balancer in front of Vault may answer with HTML; the status code still tells what happened.
            return null;
        }
    }
}
