using System.Net;
using AgentVault.Abstractions.Secrets;

namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>Maps AWS error codes and statuses to the broker's error categories.</summary>
internal static class AwsErrors
{
    private static readonly HashSet<string> Denied = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "UnrecognizedClientException", "InvalidSignatureException",
        "SignatureDoesNotMatch", "IncompleteSignature", "IncompleteSignatureException", "MissingAuthenticationToken",
        "MissingAuthenticationTokenException", "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException",
        "InvalidIdentityToken", "IDPRejectedClaim", "DecryptionFailure", "AuthFailure", "NotAuthorized",
    };

    private static readonly HashSet<string> Missing = new(StringComparer.Ordinal)
    {
        "ResourceNotFoundException", "InvalidRequestException", "InvalidParameterException", "ValidationException",
    };

    /// <summary>Chooses the category of a failed call from its error code, falling back on the status.</summary>
    public static SecretErrorCategory Categorize(HttpStatusCode status, string code)
    {
        if (Denied.Contains(code))
        {
            return SecretErrorCategory.AccessDenied;
        }

        if (Missing.Contains(code))
        {
            return SecretErrorCategory.NotFound;
        }

        return status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => SecretErrorCategory.AccessDenied,
            HttpStatusCode.NotFound => SecretErrorCategory.NotFound,
            _ => SecretErrorCategory.Unavailable,
        };
    }

    /// <summary>The short error code from <c>__type</c> or <c>x-amzn-ErrorType</c> (which may carry a namespace and a suffix).</summary>
    public static string ShortCode(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return "unknown";
        }

        var code = raw;
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        return hash >= 0 ? code[(hash + 1)..] : code;
    }
}
