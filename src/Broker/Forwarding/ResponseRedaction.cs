using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Egress policy: redacts the injected values from the response the agent will see — headers, body (decoded first when
/// compressed, per <see cref="RedactionPolicy"/>), trailers — or, for a WebSocket, the server→agent frames.
/// </summary>
internal static class ResponseRedaction
{
    /// <summary>
    /// Runs after the forwarder copied the status and headers; returns a refusal when the body cannot be inspected but must be.
    /// A decoded body replaces the upstream content (the forwarder copies whatever content the response holds after the transform).
    /// </summary>
    public static async ValueTask<ProxyRefusal?> ApplyAsync(HttpContext httpContext, ProxyRequestState state, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (state.Route is not { Redact: not RedactionMode.Off } route || proxyResponse is null)
        {
            return null;
        }

        var redactor = state.Redactor = new Redactor(state.InjectedValues);
        var response = httpContext.Response;
        RedactionHeaders.Redact(response.Headers, redactor);
        if (WebSocketRedaction.IsUpgraded(proxyResponse))
        {
            // No body follows: the forwarder hands the connection over, and the upstream's frames are redacted instead.
            WebSocketRedaction.Wrap(httpContext, redactor, route.Redact);
            return null;
        }

        var encodings = response.Headers.ContentEncoding.Select(v => v ?? string.Empty);
        switch (RedactionPolicy.Decide(route.Redact, httpContext.Request.Method, response.StatusCode, response.ContentType, encodings))
        {
            case RedactionBodyAction.Redact when !redactor.IsEmpty && state.RedactedBody is { } body:
                response.ContentLength = null;
                body.Activate(redactor);
                return null;
            case RedactionBodyAction.Decode when !redactor.IsEmpty && state.RedactedBody is { } body:
                var codings = ContentCodings.Applied(response.Headers.ContentEncoding);
                var original = proxyResponse.Content;
                var source = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var decoder = ContentCodings.Decode(source, codings)!;
                proxyResponse.Content = new StreamContent(new DecodedResponseBody(decoder, source, original));
                response.Headers.Remove(HeaderNames.ContentEncoding);
                response.ContentLength = null;
                body.Activate(redactor);
                return null;
            case RedactionBodyAction.Refuse when route.Redact == RedactionMode.Strict || !redactor.IsEmpty:
                return new ProxyRefusal(ProxyError.UpstreamUnreachable,
                    $"Service '{route.Name}' of vault '{route.Vault}' redacts responses (redact: {Name(route.Redact)}) but the upstream answered in a content coding the broker cannot decode.");
            default:
                return null;
        }
    }

    /// <summary>Redacts the trailers the forwarder copied (HTTP/2 agents; the upstream's may come over HTTP/2 or HTTP/1.1 chunked).</summary>
    public static void RedactTrailers(HttpContext httpContext, ProxyRequestState state)
    {
        if (state.Redactor is { IsEmpty: false } redactor &&
            httpContext.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is { IsReadOnly: false } trailers)
        {
            RedactionHeaders.Redact(trailers, redactor);
        }
    }

    private static string Name(RedactionMode mode) => mode == RedactionMode.Strict ? "strict" : "on";
}
