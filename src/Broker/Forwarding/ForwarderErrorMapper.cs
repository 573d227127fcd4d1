using System.Net.Http;
using System.Security.Authentication;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;
using AgentVault.Broker.Outbound;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace AgentVault.Broker.Forwarding;

/// <summary>The one place where forwarder failures become the proxy's stable error codes.</summary>
internal static class ForwarderErrorMapper
{
    private static readonly ProxyRefusal ClientClosed = new(ProxyError.ClientClosed, "The agent closed the connection.");

    /// <summary>Maps a failure; <see cref="ProxyError.ClientClosed"/> when the agent went away (nothing to answer).</summary>
    public static ProxyRefusal Map(ForwarderError error, Exception? exception, ProxyDestination destination, TimeSpan timeout)
    {
        var where = destination.Host + ":" + destination.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (DestinationBlockedException.Find(exception) is { } blocked)
        {
            return new ProxyRefusal(ProxyError.DestinationBlocked, blocked.Message);
        }

        switch (error)
        {
            case ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled
                or ForwarderError.ResponseBodyDestination or ForwarderError.UpgradeResponseDestination:
                return ClientClosed;
            case ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout:
                return new ProxyRefusal(ProxyError.UpstreamTimeout, $"The upstream {where} did not answer within {timeout.TotalSeconds:0.###} s.");
            case ForwarderError.RequestBodyClient or ForwarderError.UpgradeRequestClient:
                return Find<BadHttpRequestException>(exception) is { StatusCode: StatusCodes.Status413PayloadTooLarge }
                    ? new ProxyRefusal(ProxyError.RequestTooLarge, "The request body is larger than the proxy allows.")
                    : ClientClosed;
        }

        if (Find<AuthenticationException>(exception) is not null ||
            Find<HttpRequestException>(exception) is { HttpRequestError: HttpRequestError.SecureConnectionError })
        {
            return new ProxyRefusal(ProxyError.UpstreamTlsError, $"TLS with the upstream {where} failed: its certificate is not trusted or not valid for the name.");
        }

        if (Find<HttpRequestException>(exception) is { HttpRequestError: HttpRequestError.NameResolutionError })
        {
            return new ProxyRefusal(ProxyError.UpstreamUnreachable, $"The upstream host {destination.Host} could not be resolved.");
        }

        return new ProxyRefusal(ProxyError.UpstreamUnreachable, $"The upstream {where} could not be reached or broke the connection.");
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }

            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } nested)
                    {
                        return nested;
                    }
                }
            }
        }

        return null;
    }
}
