using System.Net;
using AgentVault.Abstractions.Secrets;
using AgentVault.Plugins.StoreHttp;

namespace AgentVault.Plugins.Infisical;

/// <summary>Maps a failed Infisical response to a categorised <see cref="SecretStoreException"/>; messages name paths, never values or tokens.</summary>
internal static class InfisicalErrors
{
    public static SecretStoreException For(string store, string what, JsonApiResponse response)
    {
        var message = JsonApiResponse.Shorten(response.StringAt("message") ?? string.Empty);
        var detail = message.Length == 0 ? string.Empty : $": {message}";
        var status = (int)response.Status;
        return response.Status switch
        {
            HttpStatusCode.NotFound => new(SecretErrorCategory.NotFound, $"Infisical store '{store}': {what}: not found{detail}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new(SecretErrorCategory.AccessDenied, $"Infisical store '{store}': {what}: access denied ({status}){detail}"),
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity =>
                new(SecretErrorCategory.InvalidConfiguration, $"Infisical store '{store}': {what}: request rejected ({status}){detail}"),
            _ => new(SecretErrorCategory.Unavailable, $"Infisical store '{store}': {what}: failed with status {status}{detail}"),
        };
    }

    /// <summary>A login is rejected with 400/401/403 when the identity's credentials are wrong; the message never echoes them.</summary>
    public static SecretStoreException ForLogin(string store, JsonApiResponse response) =>
        (int)response.Status is 400 or 401 or 403 or 404
            ? new(SecretErrorCategory.AccessDenied, $"Infisical store '{store}': universal-auth login was rejected ({(int)response.Status})")
            : new(SecretErrorCategory.Unavailable, $"Infisical store '{store}': universal-auth login failed with status {(int)response.Status}");
}
