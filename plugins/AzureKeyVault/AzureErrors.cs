using System.Net.Sockets;
using AgentVault.Abstractions.Secrets;
using Azure;
using Azure.Identity;

namespace AgentVault.Plugins.AzureKeyVault;

/// <summary>
/// Turns Azure SDK exceptions into <see cref="SecretStoreException"/>s. Their messages keep status and error code only:
/// SDK messages quote response bodies, so they are neither copied nor attached.
/// </summary>
internal static class AzureErrors
{
    public static SecretStoreException Map(Exception exception, string operation) => exception switch
    {
        SecretStoreException mine => mine,
        RequestFailedException { Status: 0 } => Unavailable(operation, exception),
        RequestFailedException failed => new SecretStoreException(
            ByStatus(failed.Status), $"Azure Key Vault {operation} failed: {failed.Status} {failed.ErrorCode ?? "error"}"),
        CredentialUnavailableException => new SecretStoreException(
            SecretErrorCategory.InvalidConfiguration, $"Azure Key Vault {operation}: the configured identity is not available in this environment"),
        AuthenticationFailedException when IsNetworkFailure(exception) => Unavailable(operation, exception),
        AuthenticationFailedException => new SecretStoreException(
            SecretErrorCategory.AccessDenied, $"Azure Key Vault {operation}: Entra ID refused the credentials"),
        HttpRequestException or TaskCanceledException or IOException => Unavailable(operation, exception),
        _ => new SecretStoreException(SecretErrorCategory.Unavailable, $"Azure Key Vault {operation} failed: {exception.GetType().Name}"),
    };

    private static SecretErrorCategory ByStatus(int status) => status switch
    {
        401 or 403 => SecretErrorCategory.AccessDenied,
        400 or 404 or 409 => SecretErrorCategory.NotFound,
        _ => SecretErrorCategory.Unavailable,
    };

    private static SecretStoreException Unavailable(string operation, Exception exception) =>
        new(SecretErrorCategory.Unavailable, $"Azure Key Vault {operation}: the vault or Entra ID is unreachable ({Innermost(exception).GetType().Name})");

    private static bool IsNetworkFailure(Exception exception)
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException or IOException or TaskCanceledException
                || (e is RequestFailedException failed && (failed.Status == 0 || failed.Status >= 500)))
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception exception)
    {
        var e = exception;
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
