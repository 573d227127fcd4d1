using Microsoft.Net.Http.Headers;

namespace AgentVault.Broker.Management;

/// <summary>Reads <c>Authorization: Bearer &lt;token&gt;</c>; the value is never logged or echoed.</summary>
internal static class BearerToken
{
    public static string? Read(HttpRequest request)
    {
        var values = request.Headers[HeaderNames.Authorization];
        if (values.Count != 1 || values[0] is not { } header)
        {
            return null;
        }

        const string scheme = "Bearer ";
        if (header.Length <= scheme.Length || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
