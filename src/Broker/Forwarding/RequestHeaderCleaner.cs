using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Removes from the upstream request what the agent must not control: the <c>Host</c> header (the destination is fixed),
/// every <c>Proxy-*</c> header, headers named in <c>Connection</c> (RFC 9110 §7.6.1) and the headers the auth scheme sets.
/// </summary>
internal static class RequestHeaderCleaner
{
    public static void Clean(HttpRequest incoming, HttpRequestMessage outgoing, IReadOnlyCollection<string>? schemeHeaders)
    {
        outgoing.Headers.Host = null;
        foreach (var token in incoming.Headers.GetCommaSeparatedValues(HeaderNames.Connection))
        {
            if (!token.Equals("upgrade", StringComparison.OrdinalIgnoreCase))
            {
                Remove(outgoing, token);
            }
        }

        List<string>? proxyHeaders = null;
        foreach (var header in outgoing.Headers)
        {
            if (header.Key.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase))
            {
                (proxyHeaders ??= []).Add(header.Key);
            }
        }

        if (proxyHeaders is not null)
        {
            foreach (var name in proxyHeaders)
            {
                outgoing.Headers.Remove(name);
            }
        }

        if (schemeHeaders is not null)
        {
            foreach (var name in schemeHeaders)
            {
                Remove(outgoing, name);
            }
        }
    }

    // HttpHeaders.Remove throws for a name that belongs to the other collection (e.g. Authorization on content headers);
    // NonValidated.Contains never throws and is true only where the header can live.
    private static void Remove(HttpRequestMessage request, string name)
    {
        if (request.Headers.NonValidated.Contains(name))
        {
            request.Headers.Remove(name);
        }

        if (request.Content is { } content && content.Headers.NonValidated.Contains(name))
        {
            content.Headers.Remove(name);
        }
    }
}
