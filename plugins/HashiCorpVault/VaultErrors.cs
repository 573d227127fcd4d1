using System.Net;
using System.Text.Json.Nodes;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.StoreHttp;

namespace AgentVault.Plugins.HashiCorpVault;

/// <summary>Maps a failed Vault response to a categorised <see cref="SecretStoreException"/>; messages name paths, never values or tokens.</summary>
internal static class VaultErrors
{
    public static SecretStoreException ForRead(string store, string path, JsonApiResponse response)
    {
        var detail = Detail(response);
        return response.Status switch
        {
            HttpStatusCode.NotFound => new(SecretErrorCategory.NotFound, $"Vault store '{store}': no secret at '{path}'{detail}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new(SecretErrorCategory.AccessDenied, $"Vault store '{store}': permission denied reading '{path}' ({(int)response.Status}){detail}"),
            HttpStatusCode.BadRequest => new(SecretErrorCategory.InvalidConfiguration, $"Vault store '{store}': Vault rejected the request for '{path}' (400){detail}"),
            _ => Unavailable(store, $"reading '{path}'", response),
        };
    }

    public static SecretStoreException ForLogin(string store, string method, JsonApiResponse response) =>
        (int)response.Status is 400 or 401 or 403
            ? new(SecretErrorCategory.AccessDenied, $"Vault store '{store}': {method} login was rejected ({(int)response.Status})")
            : Unavailable(store, $"{method} login", response);

    public static SecretStoreException ForLease(string store, string operation, string leasePath, JsonApiResponse response) =>
        response.Status switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.NotFound =>
                new(SecretErrorCategory.NotFound, $"Vault store '{store}': cannot {operation} lease under '{leasePath}': lease not found or not renewable{Detail(response)}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new(SecretErrorCategory.AccessDenied, $"Vault store '{store}': permission denied to {operation} lease under '{leasePath}' ({(int)response.Status})"),
            _ => Unavailable(store, $"{operation} of a lease under '{leasePath}'", response),
        };

    public static SecretStoreException Unavailable(string store, string what, JsonApiResponse response) =>
        new(SecretErrorCategory.Unavailable, $"Vault store '{store}': {what} failed with status {(int)response.Status}{Detail(response)}");

    private static string Detail(JsonApiResponse response)
    {
        if (response.Body?["errors"] is not JsonArray errors || errors.Count == 0)
        {
            return string.Empty;
        }

        return ": " + JsonApiResponse.Shorten(string.Join("; ", errors.Select(e => e?.ToString() ?? string.Empty)));
    }
}
