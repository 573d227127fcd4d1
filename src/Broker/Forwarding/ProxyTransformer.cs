using System.Diagnostics;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Shapes the upstream request: copies the agent's headers minus hop-by-hop, <c>Proxy-*</c> and every header the auth scheme
/// sets, fixes the URI to the tunnel/absolute-URI destination (the agent's Host never counts), then applies the auth scheme.
/// A credential failure sets the response status so the forwarder does not send anything (fail closed).
/// </summary>
internal sealed class ProxyTransformer : HttpTransformer
{
    // The path and query go upstream exactly as the agent sent them: no decoding, re-encoding or dot-segment removal
    // (RequestPath has refused dot segments and anything that is not a valid request target).
    private static readonly UriCreationOptions AsSent = new() { DangerousDisablePathAndQueryCanonicalization = true };
    private readonly ILogger _logger;

    public ProxyTransformer(ILogger<ProxyTransformer> logger) => _logger = logger;

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken).ConfigureAwait(false);
        var state = httpContext.Features.GetRequiredFeature<ProxyRequestState>();
        RequestHeaderCleaner.Clean(httpContext.Request, proxyRequest, state.Route?.HeadersToStrip);
        proxyRequest.RequestUri = new Uri(destinationPrefix + state.PathAndQuery, AsSent);
        proxyRequest.Options.Set(UnauthorizedRetryHandler.StateKey, state);

        if (state.Route is not { } route)
        {
            StartForwarding(state);
            return;
        }

        RedactionPolicy.PrepareRequest(route.Redact, proxyRequest);

        try
        {
            // Order matters: the agent's credential headers are gone, substitutions see the agent's placeholders, and the
            // scheme runs last so the injected value always wins.
            if (!route.Substitutions.IsEmpty)
            {
                await route.Substitutions.ApplyAsync(proxyRequest, httpContext.Request, state, cancellationToken).ConfigureAwait(false);
                if (IsUpgrade(httpContext))
                {
                    await route.Substitutions.PrepareWebSocketAsync(httpContext, proxyRequest, state, cancellationToken).ConfigureAwait(false);
                }
            }

            if (route.Scheme is { } scheme)
            {
                await SchemeApplication.ApplyAsync(scheme, proxyRequest, state, SchemeRequestBody.Lend(httpContext.Request, proxyRequest), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Refuse(httpContext, state, SchemeApplication.Failure(route, ex, _logger));
            return;
        }

        StartForwarding(state);
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var state = httpContext.Features.GetRequiredFeature<ProxyRequestState>();
        if (state.Refusal is { } refused)
        {
            // The retry after a 401 could not apply a fresh credential (UnauthorizedRetryHandler): the upstream's 401 is not passed on.
            httpContext.Response.StatusCode = refused.Error.Status;
            return false;
        }

        if (ExceededLimit(httpContext, state, proxyResponse) is { } limit)
        {
            ForwardingLog.ResponseTooLarge(_logger, httpContext.Request.Method, state.Destination.Host, state.Destination.Port, limit);
            Refuse(httpContext, state, new ProxyRefusal(ProxyError.ResponseTooLarge,
                $"The upstream response ({proxyResponse!.Content.Headers.ContentLength} bytes) is larger than the proxy allows ({limit} bytes)."));
            return false;
        }

        state.UpstreamAnswered = proxyResponse is not null;
        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        if (!copyBody)
        {
            return false;
        }

        if (await ResponseRedaction.ApplyAsync(httpContext, state, proxyResponse, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            Refuse(httpContext, state, refusal);
            return false;
        }

        return true;
    }

    public override async ValueTask TransformResponseTrailersAsync(HttpContext httpContext, HttpResponseMessage proxyResponse, CancellationToken cancellationToken)
    {
        await base.TransformResponseTrailersAsync(httpContext, proxyResponse, cancellationToken).ConfigureAwait(false);
        ResponseRedaction.RedactTrailers(httpContext, httpContext.Features.GetRequiredFeature<ProxyRequestState>());
    }

    // A declared Content-Length over the limit is refused before anything reaches the agent (HEAD, 1xx, 204 and 304 carry no body).
    private static long? ExceededLimit(HttpContext httpContext, ProxyRequestState state, HttpResponseMessage? proxyResponse)
    {
        if (proxyResponse?.Content.Headers.ContentLength is not { } length || state.ResponseBody is not { } meter || length <= meter.Limit)
        {
            return null;
        }

        var status = (int)proxyResponse.StatusCode;
        var hasBody = !HttpMethods.IsHead(httpContext.Request.Method) && status >= 200 && status != 204 && status != 304;
        return hasBody ? meter.Limit : null;
    }

    // The forward span starts once the request is shaped and authorised (credential resolution and minting are its siblings
    // under the request span) and ends with the answer (ProxyForwarder). Started in this async method, it does not become
    // the current span of the send.
    private static void StartForwarding(ProxyRequestState state)
    {
        if (BrokerTracing.StartStep(BrokerTracing.ForwardSpan, ActivityKind.Client) is { } span)
        {
            span.SetTag(BrokerTracing.ServerAddress, state.Destination.Host);
            span.SetTag(BrokerTracing.ServerPort, state.Destination.Port);
            state.Forwarding = span;
        }
    }

    private static void Refuse(HttpContext httpContext, ProxyRequestState state, ProxyRefusal refusal)
    {
        state.Refusal = refusal;
        httpContext.Response.StatusCode = refusal.Error.Status;
    }

    private static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true ||
        context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;
}
