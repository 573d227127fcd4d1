using AgentVault.Broker.Approvals;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Server;
using AgentVault.Broker.Snapshots;
using AgentVault.Broker.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// The proxy request pipeline, the same for tunnelled and absolute-form requests, read top to bottom in
/// <see cref="InvokeAsync"/>: authenticate → route → policy → approval → forward (where the transformer resolves the credentials and
/// authorises the upstream request) → log. A step either fills in its part of the <see cref="ProxyExchange"/> or returns the
/// refusal that ends the request; <see cref="FailAsync"/> is the one place that answers a failure, and the request-log record
/// is written once, whatever happened.
/// </summary>
internal sealed class ProxyRequestHandler
{
    private readonly AgentAuthenticator _authenticator;
    private readonly SnapshotPublisher _snapshots;
    private readonly ProxyForwarder _forwarder;
    private readonly ICredentialResolver _resolver;
    private readonly IRequestLogSink _log;
    private readonly TimeProvider _time;
    private readonly long _maxRequestBody;
    private readonly ILogger _logger;
    private readonly RequestLimiter _limiter;
    private readonly UnauthenticatedRefusals _unauthenticated;
    private readonly ApprovalGate _approvals;
    private readonly ProxyRequestMetrics _metrics;

    public ProxyRequestHandler(AgentAuthenticator authenticator, SnapshotPublisher snapshots, ProxyForwarder forwarder, ICredentialResolver resolver,
        IRequestLogSink log, ServerOptions options, TimeProvider time, ILogger<ProxyRequestHandler> logger, RequestLimiter limiter,
        UnauthenticatedRefusals unauthenticated, ApprovalGate approvals, ProxyRequestMetrics metrics)
    {
        _metrics = metrics;
        _approvals = approvals;
        _unauthenticated = unauthenticated;
        _limiter = limiter;
        _authenticator = authenticator;
        _snapshots = snapshots;
        _forwarder = forwarder;
        _resolver = resolver;
        _log = log;
        _time = time;
        _maxRequestBody = options.MaxRequestBodyBytes;
        _logger = logger;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var tunnel = context.Features.Get<ProxyTunnelFeature>();
        using var span = BrokerTracing.StartRequest();
        var exchange = new ProxyExchange(context, _time.GetUtcNow(), tunnel, tunnel?.Destination ?? ProxyTargets.AbsoluteDestination(context)) { Span = span };
        try
        {
            var failure = Step(BrokerTracing.AuthenticateSpan, static (h, e) => h.Authenticate(e), exchange) ??
                          Step(BrokerTracing.RouteSpan, static (_, e) => Route(e), exchange) ??
                          Step(BrokerTracing.PolicySpan, static (h, e) => h.Policy(e) ?? h.AdmitBody(e), exchange);
            failure ??= await HoldAsync(exchange).ConfigureAwait(false);
            failure ??= await _forwarder.ForwardAsync(context, exchange.State!).ConfigureAwait(false);
            if (failure is { } refusal)
            {
                await FailAsync(exchange, refusal).ConfigureAwait(false);
            }
        }
        finally
        {
            exchange.Release();
            exchange.Describe();
            if (exchange is { Destination: { } destination, Recorded: true })
            {
                var record = exchange.ToRecord(destination);
                _metrics.Record(exchange);
                _log.Write(record);
            }
        }
    }

    // One step of the pipeline, a child span of the request's when traced; the span carries the refusal's code.
    private ProxyRefusal? Step(string name, Func<ProxyRequestHandler, ProxyExchange, ProxyRefusal?> step, ProxyExchange exchange)
    {
        var span = BrokerTracing.StartStep(name);
        ProxyRefusal? refusal = null;
        try
        {
            return refusal = step(this, exchange);
        }
        finally
        {
            BrokerTracing.End(span, refusal?.Error.Code);
        }
    }

    // Step 1: who is asking. One snapshot for the whole request: tokens, routes and limits of one configuration version; the
    // lease keeps its auth scheme instances alive until the request (or WebSocket) ends.
    private ProxyRefusal? Authenticate(ProxyExchange exchange)
    {
        if (exchange.Destination is null)
        {
            return new ProxyRefusal(ProxyError.BadRequest,
                "This is the agent-vault proxy: send requests through it (HTTPS_PROXY / CONNECT or an absolute URI), not to it.");
        }

        var context = exchange.Context;
        var snapshot = exchange.Snapshot = _snapshots.Acquire();
        if (_authenticator.TryAuthenticate(snapshot.Tokens, Authorization(exchange), exchange.Tunnel?.Auth, out var identity, out var refusal, out var agent, context.Connection.RemoteIpAddress))
        {
            exchange.Identity = identity;
            return null;
        }

        exchange.RefusedAgent = agent;
        if (agent is null)
        {
            // Unauthenticated: counted and sampled into the server log, never a request-log record.
            _unauthenticated.Record(refusal.Error, context.Connection.RemoteIpAddress);
            exchange.Recorded = false;
        }

        return refusal;
    }

    // Step 2: which service of the agent's vault, on one reading of the path as the agent sent it (for routing, rules and
    // forwarding alike).
    private static ProxyRefusal? Route(ProxyExchange exchange)
    {
        if (!RequestPath.TryParse(exchange.Context.Features.Get<IHttpRequestFeature>()?.RawTarget, out var path, out var pathProblem))
        {
            return new ProxyRefusal(ProxyError.BadRequest, pathProblem);
        }

        exchange.Path = path;
        var refusal = ServiceRouting.Route(exchange.Snapshot!.Routes, exchange.Identity!, exchange.Destination!, path, out var route);
        exchange.Route = route;
        return refusal;
    }

    // Step 3: egress policy: method/path rules, what redact: strict allows, then rate and in-flight limits (the slot is held
    // until the request, or WebSocket, ends).
    private ProxyRefusal? Policy(ProxyExchange exchange)
    {
        var (context, identity, route) = (exchange.Context, exchange.Identity!, exchange.Route);
        if (route is { Rules.IsEmpty: false } &&
            !route.Rules.IsAllowed(MethodOverride.Methods(context.Request.Method, context.Request.Headers, exchange.Path!.Query), exchange.Path!))
        {
            return new ProxyRefusal(ProxyError.RuleDenied, $"Service '{route.Name}' of vault '{route.Vault}' does not allow this request.");
        }

        if (route is { Redact: RedactionMode.Strict } && WebSocketRedaction.IsOtherUpgrade(context))
        {
            // Strict lets nothing reach the agent uninspected, and only WebSocket frames can be parsed and redacted.
            return new ProxyRefusal(ProxyError.RuleDenied,
                $"Service '{route.Name}' of vault '{route.Vault}' uses redact: strict, which allows no protocol upgrade other than WebSocket.");
        }

        var tunnel = exchange.Tunnel;
        var verdict = _limiter.TryAcquire(identity.Agent, exchange.Snapshot!.LimitOf(identity.Agent), identity.Vault, route?.Name ?? "-", route?.RateLimit,
            tunnel is null ? null : () => tunnel.TakePrepaidToken(identity.Agent));
        if (!verdict.Acquired)
        {
            return new ProxyRefusal(ProxyError.RateLimited, $"Limit reached ({verdict.Limit}); retry after {verdict.RetryAfterSeconds} s.", TimeSpan.FromSeconds(verdict.RetryAfterSeconds));
        }

        exchange.Slot = verdict;
        return null;
    }

    // Step 3 (end): the body limit, then the state that forwarding carries, with a meter over what the agent actually sends
    // (chunked and HTTP/2 bodies have no Content-Length).
    private ProxyRefusal? AdmitBody(ProxyExchange exchange)
    {
        var context = exchange.Context;
        if (context.Request.ContentLength > _maxRequestBody)
        {
            return new ProxyRefusal(ProxyError.RequestTooLarge, $"The request body is larger than the proxy allows ({_maxRequestBody} bytes).");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = _maxRequestBody;
        }

        var meter = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false ? new RequestBodyMeter(context.Request.BodyReader) : null;
        if (meter is not null)
        {
            context.Request.Body = meter;
        }

        exchange.State = new ProxyRequestState(_resolver, exchange.Snapshot!.Bindings, exchange.Identity!, exchange.Destination!, exchange.Route)
        {
            PathAndQuery = exchange.Path!.PathAndQuery,
            RequestBody = meter,
        };
        context.Features.Set(exchange.State);
        return null;
    }

    // Step 4: a request an approve rule matches waits here for a person's decision (docs/approvals.md), its body buffered, so
    // nothing reaches the upstream before approval. Services without approve rules skip this step entirely.
    private async ValueTask<ProxyRefusal?> HoldAsync(ProxyExchange exchange)
    {
        if (exchange.Route is not { Approve: not null } route)
        {
            return null;
        }

        using var span = BrokerTracing.StartStep(BrokerTracing.ApprovalSpan);
        var outcome = await _approvals.PassAsync(exchange.Context, route, exchange.Identity!, exchange.Destination!, exchange.Path!).ConfigureAwait(false);
        span?.SetTag(BrokerTracing.Approval, outcome.Approval);
        exchange.Approval = outcome.Approval;
        exchange.DecidedBy = outcome.DecidedBy;
        if (outcome is { Refusal: null, Approval: "approved" } &&
            (!_authenticator.TryAuthenticate(_snapshots.Current.Tokens, Authorization(exchange), null, out var now, out var revoked, out _, exchange.Context.Connection.RemoteIpAddress) ||
             now.TokenId != exchange.Identity!.TokenId))
        {
            // The request may have waited for up to an hour: a token revoked (or expired) meanwhile does not go through.
            return revoked.Error is null ? new ProxyRefusal(ProxyError.ProxyAuthRequired, "The token changed while the request waited for approval.") : revoked;
        }

        return outcome.Refusal;
    }

    private static string? Authorization(ProxyExchange exchange)
    {
        var header = exchange.Context.Request.Headers.ProxyAuthorization;
        return header.Count == 0 ? exchange.Tunnel?.ConnectAuthorization : header.ToString();
    }

    // The one place a failure becomes the agent's answer (problem+json, unless the response has started or nobody listens)
    // and the request log's error.
    private async Task FailAsync(ProxyExchange exchange, ProxyRefusal refusal)
    {
        var context = exchange.Context;
        exchange.Failure = refusal;
        ProxyLog.RequestRefused(_logger, context.Request.Method, exchange.Destination?.Host ?? "-", exchange.Destination?.Port ?? 0, refusal.Error.Code);
        if (await ProxyProblem.WriteAsync(context, refusal, context.RequestAborted).ConfigureAwait(false))
        {
            exchange.ProblemBytes = context.Response.ContentLength ?? 0;
        }
    }
}
