using System.Text.Json.Nodes;
using AgentVault.Plugins.StoreHttp;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>Sends requests to Vault's HTTP API (<c>/v1/…</c>) with the token and namespace headers Vault expects.</summary>
internal sealed class VaultHttp
{
    private readonly JsonApiClient _api;
    private readonly string? _namespace;

    public VaultHttp(HttpClient client, VaultSettings settings, string storeName)
    {
        _api = new JsonApiClient(client, settings.Address, $"Vault store '{storeName}'");
        _namespace = settings.Namespace;
    }

    /// <summary>Calls <c>/v1/{apiPath}{query}</c>; <paramref name="what"/> names the operation in errors (never a value).</summary>
    public Task<JsonApiResponse> SendAsync(HttpMethod method, string apiPath, string query, JsonObject? body, string? token, string what, CancellationToken cancellationToken) =>
        _api.SendAsync(method, "v1/" + apiPath + query, body, headers =>
        {
            if (token is not null)
            {
                headers.TryAddWithoutValidation("X-Vault-Token", token);
            }

            if (_namespace is not null)
            {
                headers.TryAddWithoutValidation("X-Vault-Namespace", _namespace);
            }
        }, what, cancellationToken);
}
