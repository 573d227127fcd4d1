using System.Net.Http.Headers;
using AgentVault.Abstractions.Auth;

namespace AgentVault.Plugins.OAuth2;

/// <summary>Puts a minted token into <c>Authorization: Bearer</c> and registers it for response redaction.</summary>
internal static class BearerHeader
{
    public static readonly IReadOnlyCollection<string> Stripped = ["Authorization"];

    public static void Apply(AuthRequest request, string token)
    {
        request.Request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.AddInjectedValue(token);
    }
}
