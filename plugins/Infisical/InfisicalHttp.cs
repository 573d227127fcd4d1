using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AgentVault.Plugins.StoreHttp;

namespace AgentVault.Plugins.Infisical;

/// <summary>Sends requests to Infisical's REST API with the machine identity's bearer access token.</summary>
internal sealed class InfisicalHttp
{
    private readonly JsonApiClient _api;

    public InfisicalHttp(HttpClient client, Uri site, string storeName) =>
        _api = new JsonApiClient(client, site, $"Infisical store '{storeName}'");

    /// <summary>Calls <paramref name="relativeUri"/> (e.g. <c>api/v3/secrets/raw/X?…</c>); <paramref name="what"/> names the operation in errors.</summary>
    public Task<JsonApiResponse> SendAsync(HttpMethod method, string relativeUri, JsonObject? body, string? accessToken, string what, CancellationToken cancellationToken) =>
        _api.SendAsync(method, relativeUri, body, headers =>
        {
            if (accessToken is not null)
            {
                headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            }
        }, what, cancellationToken);
}
