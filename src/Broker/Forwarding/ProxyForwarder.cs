using System.Net;
using AgentVault.Broker.Hosting;
using AgentVault.Broker.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Sends a routed request upstream with YARP's <see cref="IHttpForwarder"/> over the shared pooled handler: HTTP/2 when the
/// upstream offers it (TLS + ALPN), streaming both ways, one retry after an upstream 401 when the scheme refreshed its credential.
/// </summary>
internal sealed class ProxyForwarder
{
    private readonly IHttpForwarder _forwarder;
    private readonly IOutboundClients _clients;
    private readonly ProxyTransformer _transformer;
    private readonly ForwarderRequestConfig _https;
    private readonly ForwarderRequestConfig _http;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    public ProxyForwarder(IHttpForwarder forwarder, IOutboundClients clients, ProxyTransformer transformer, ServerOptions options, ILogger<ProxyForwarder> logger)
    {
        _forwarder = forwarder;
        _clients = clients;
        _transformer = transformer;
        _timeout = options.UpstreamTimeout;
        _logger = logger;
        _https = new ForwarderRequestConfig { ActivityTimeout = _timeout, Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
        _http = new ForwarderRequestConfig { ActivityTimeout = _timeout, Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower };
    }

    public async Task ForwardAsync(HttpContext context, ProxyRequestState state)
    {
        var config = state.Destination.Https ? _https : _http;
        var original = context.Response.Body;
        if (state.Route is { Redact: not RedactionMode.Off })
        {
            // Egress policy: the transformer activates redaction once the response headers are known.
            state.RedactedBody = new RedactingStream(original);
            context.Response.Body = state.RedactedBody;
        }

        ForwarderError error;
        try
        {
            error = await _forwarder.SendAsync(context, state.Destination.Prefix, _clients.Upstream, config, _transformer).ConfigureAwait(false);
            if (error == ForwarderError.None && state.RetryRequested)
            {
                state.RetryRequested = false;
                state.Retried = true;
                error = await _forwarder.SendAsync(context, state.Destination.Prefix, _clients.Upstream, config, _transformer).ConfigureAwait(false);
            }

            if (state.RedactedBody is { IsActive: true } redacted && error == ForwarderError.None)
            {
                await redacted.CompleteAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        finally
        {
            context.Response.Body = original;
        }

        if (state.Refusal is { } refused)
        {
            await ProxyProblem.WriteAsync(context, refused, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (error == ForwarderError.None)
        {
            return;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var refusal = ForwarderErrorMapper.Map(error, exception, state.Destination, _timeout);
        state.ErrorCode = refusal?.Error.Code ?? "client_closed";
        ProxyLog.ForwardFailed(_logger, context.Request.Method, state.Destination.Host, state.Destination.Port, state.ErrorCode, error, exception);
        if (refusal is { } answer)
        {
            await ProxyProblem.WriteAsync(context, answer, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
