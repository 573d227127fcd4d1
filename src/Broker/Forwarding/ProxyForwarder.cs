using System.Net;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;
using AgentVault.Broker.Outbound;
using AgentVault.Broker.Server;
using AgentVault.Broker.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Sends a routed request upstream with YARP's <see cref="IHttpForwarder"/> over the shared pooled handler: HTTP/2 when the
/// upstream offers it (TLS + ALPN), streaming both ways, the answer metered and, when the service redacts, redacted. Failures are returned, not answered: the request handler answers them.
/// </summary>
internal sealed class ProxyForwarder
{
    // HTTP/2 error code INTERNAL_ERROR (RFC 9113 §7).
    private const int InternalError = 0x2;
    private readonly IHttpForwarder _forwarder;
    private readonly IOutboundClients _clients;
    private readonly ProxyTransformer _transformer;
    private readonly ForwarderRequestConfig _https;
    private readonly ForwarderRequestConfig _http;
    private readonly TimeSpan _timeout;
    private readonly long _maxResponseBody;
    private readonly ILogger _logger;

    public ProxyForwarder(IHttpForwarder forwarder, IOutboundClients clients, ProxyTransformer transformer, ServerOptions options, ILogger<ProxyForwarder> logger)
    {
        _forwarder = forwarder;
        _clients = clients;
        _transformer = transformer;
        _timeout = options.UpstreamTimeout;
        _maxResponseBody = options.MaxResponseBodyBytes;
        _logger = logger;
        _https = new ForwarderRequestConfig { ActivityTimeout = _timeout, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        _http = new ForwarderRequestConfig { ActivityTimeout = _timeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
    }

    /// <summary>
    /// Forwards the request and streams the answer back; returns the failure for the request handler to answer and record
    /// (null when the upstream's answer went to the agent).
    /// </summary>
    public async ValueTask<ProxyRefusal?> ForwardAsync(HttpContext context, ProxyRequestState state)
    {
        ProxyRefusal? refusal = null;
        try
        {
            return refusal = await SendAsync(context, state).ConfigureAwait(false);
        }
        finally
        {
            if (state.Forwarding is { } span)
            {
                span.SetTag(BrokerTracing.StatusCode, context.Response.StatusCode);
                BrokerTracing.End(span, refusal?.Error.Code);
            }
        }
    }

    private async ValueTask<ProxyRefusal?> SendAsync(HttpContext context, ProxyRequestState state)
    {
        var config = state.Destination.Https ? _https : _http;
        var original = context.Response.Body;
        var meter = state.ResponseBody = new ResponseBodyMeter(original, _maxResponseBody);
        context.Response.Body = meter;
        if (state.Route is { Redact: not RedactionMode.Off })
        {
            // Egress policy: the transformer activates redaction once the response headers are known.
            state.RedactedBody = new RedactingStream(meter);
            context.Response.Body = state.RedactedBody;
        }

        ForwarderError error;
        try
        {
            // One send: the retry after an upstream 401 happens below YARP, in UnauthorizedRetryHandler.
            error = await _forwarder.SendAsync(context, state.Destination.Prefix, _clients.Upstream, config, _transformer).ConfigureAwait(false);

            // The upstream answered before it had read the whole body (a 401 or 413 to an upload): YARP copied that answer
            // and only then reported the interrupted body copy. The answer stands; it is not a broken upstream.
            if (state.UpstreamAnswered && error is ForwarderError.RequestBodyDestination or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient)
            {
                ForwardingLog.RequestBodyCutShort(_logger, context.Request.Method, state.Destination.Host, state.Destination.Port, context.Response.StatusCode);
                error = ForwarderError.None;
            }

            if (state.RedactedBody is { IsActive: true } redacted && error == ForwarderError.None)
            {
                await CompleteRedactionAsync(context, redacted).ConfigureAwait(false);
            }
        }
        finally
        {
            context.Response.Body = original;
        }

        if (meter.LimitExceeded)
        {
            // The forwarder reset the stream (or closed the HTTP/1.1 connection) if anything had been sent; else answer 502.
            ForwardingLog.ResponseTooLarge(_logger, context.Request.Method, state.Destination.Host, state.Destination.Port, meter.Limit);
            return new ProxyRefusal(ProxyError.ResponseTooLarge, $"The upstream response body is larger than the proxy allows ({meter.Limit} bytes).");
        }

        if (state.Refusal is { } refused)
        {
            return refused;
        }

        if (error == ForwarderError.None)
        {
            return null;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var refusal = ForwarderErrorMapper.Map(error, exception, state.Destination, _timeout);
        ForwardingLog.ForwardFailed(_logger, context.Request.Method, state.Destination.Host, state.Destination.Port, refusal.Error.Code, error, exception);
        return refusal;
    }

    // The held-back tail of a redacted body can still cross the size limit: then the response must not end normally.
    private static async Task CompleteRedactionAsync(HttpContext context, RedactingStream redacted)
    {
        try
        {
            await redacted.CompleteAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (ResponseTooLargeException)
        {
            // When nothing was sent yet the caller answers with the problem (the meter recorded the refusal); otherwise the
            // response must not look complete.
            if (context.Response.HasStarted)
            {
                if (context.Features.Get<IHttpResetFeature>() is { } reset)
                {
                    reset.Reset(InternalError);
                }
                else
                {
                    context.Abort();
                }
            }
        }
    }
}
