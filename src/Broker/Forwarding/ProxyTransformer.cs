using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Proxy;
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

        if (state.Route is not { } route)
        {
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
                await ApplySchemeAsync(scheme, httpContext, proxyRequest, state, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AuthSchemeException ex)
        {
            ProxyLog.CredentialUnavailable(_logger, route.Vault, route.Name, ex.Message);
            Refuse(httpContext, state, new ProxyRefusal(ProxyError.CredentialUnavailable, CredentialFailureDetail.For(route, ex)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (_logger.IsEnabled(LogLevel.Error))
            {
                ProxyLog.AuthSchemeFailed(_logger, route.Vault, route.Name, ex.GetType().Name);
            }

            Refuse(httpContext, state, new ProxyRefusal(ProxyError.CredentialUnavailable,
                $"Service '{route.Name}' of vault '{route.Vault}': the credential could not be applied."));
        }
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var state = httpContext.Features.GetRequiredFeature<ProxyRequestState>();
        if (proxyResponse?.StatusCode == System.Net.HttpStatusCode.Unauthorized && !state.Retried &&
            state.Route?.Scheme is { } scheme && IsRetryable(httpContext.Request) &&
            await scheme.OnUnauthorizedAsync(cancellationToken).ConfigureAwait(false))
        {
            ProxyLog.RetryAfterUnauthorized(_logger, state.Route.Vault, state.Route.Name);
            state.RetryRequested = true;
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            var reason = httpContext.Features.Get<IHttpResponseFeature>();
            if (reason is not null)
            {
                reason.ReasonPhrase = null;
            }

            return false;
        }

        if (ExceededLimit(httpContext, state, proxyResponse) is { } limit)
        {
            ProxyLog.ResponseTooLarge(_logger, httpContext.Request.Method, state.Destination.Host, state.Destination.Port, limit);
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

    // A signing scheme reads (and may replace) the body, which YARP's own content does not allow: lend it a readable one.
    private static async ValueTask ApplySchemeAsync(IAuthScheme scheme, HttpContext httpContext, HttpRequestMessage proxyRequest, ProxyRequestState state, CancellationToken cancellationToken)
    {
        var authRequest = new AuthRequest(proxyRequest, state);
        var body = SchemeRequestBody.Lend(httpContext.Request, proxyRequest);
        try
        {
            await scheme.ApplyAsync(authRequest, cancellationToken).ConfigureAwait(false);
            if (body is not null)
            {
                await body.ReturnAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            body?.Restore();
        }

        state.AddInjectedValues(authRequest.InjectedValues);
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

    private static void Refuse(HttpContext httpContext, ProxyRequestState state, ProxyRefusal refusal)
    {
        state.Refusal = refusal;
        state.ErrorCode = refusal.Error.Code;
        httpContext.Response.StatusCode = refusal.Error.Status;
    }

    private static bool IsUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true ||
        context.Features.Get<IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    // Only idempotent requests without a body can be sent twice (RFC 9110 §9.2.2).
    private static bool IsRetryable(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsDelete(request.Method)) &&
        request.ContentLength is null or 0 && !request.Headers.ContainsKey("Transfer-Encoding") &&
        request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != true;
}
