using System.Diagnostics;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Hosting;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Secrets;
using AgentVault.Broker.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// The proxy request pipeline, the same for tunnelled and absolute-form requests: destination → agent authentication →
/// route → limits → forward, then one request-log record.
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

    public ProxyRequestHandler(AgentAuthenticator authenticator, SnapshotPublisher snapshots, ProxyForwarder forwarder, ICredentialResolver resolver,
        IRequestLogSink log, ServerOptions options, TimeProvider time, ILogger<ProxyRequestHandler> logger, RequestLimiter limiter,
        UnauthenticatedRefusals unauthenticated)
    {
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

    public static ProxyRefusal HostNotAllowed(string vault, ProxyDestination destination) =>
        new(ProxyError.HostNotAllowed, $"Vault '{vault}' has no service for {destination.Host} (port {destination.Port}); add one, or set the vault's unmatched policy to passthrough.");

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var time = _time.GetUtcNow();
        var tunnel = context.Features.Get<ProxyTunnelFeature>();
        var destination = tunnel?.Destination ?? AbsoluteDestination(context);
        AgentIdentity? identity = null;
        string? agent = null;
        var recorded = true;
        ProxyRequestState? state = null;
        ServiceRoute? route = null;
        LimitVerdict? slot = null;
        BrokerSnapshot? snapshot = null;
        string? errorCode = null;
        try
        {
            if (destination is null)
            {
                errorCode = await RefuseAsync(context, new ProxyRefusal(ProxyError.BadRequest,
                    "This is the agent-vault proxy: send requests through it (HTTPS_PROXY / CONNECT or an absolute URI), not to it.")).ConfigureAwait(false);
                return;
            }

            // One snapshot for the whole request: tokens, routes and limits of one configuration version. The lease keeps its
            // auth scheme instances alive until the request (or WebSocket) ends.
            snapshot = _snapshots.Acquire();
            var header = context.Request.Headers.ProxyAuthorization;
            var authorization = header.Count == 0 ? tunnel?.ConnectAuthorization : header.ToString();
            if (!_authenticator.TryAuthenticate(snapshot.Tokens, authorization, tunnel?.Auth, out var authenticated, out var authRefusal, out agent, context.Connection.RemoteIpAddress))
            {
                if (agent is null)
                {
                    // Unauthenticated: counted and sampled into the server log, never a request-log record.
                    _unauthenticated.Record(authRefusal.Error, context.Connection.RemoteIpAddress);
                    recorded = false;
                }

                errorCode = await RefuseAsync(context, authRefusal, destination).ConfigureAwait(false);
                return;
            }

            identity = authenticated;

            // One reading of the path as the agent sent it, for routing, rules and forwarding alike.
            if (!RequestPath.TryParse(context.Features.Get<IHttpRequestFeature>()?.RawTarget, out var path, out var pathProblem))
            {
                errorCode = await RefuseAsync(context, new ProxyRefusal(ProxyError.BadRequest, pathProblem), destination).ConfigureAwait(false);
                return;
            }

            if (Route(snapshot.Routes, identity, destination, path, out route) is { } routeRefusal)
            {
                errorCode = await RefuseAsync(context, routeRefusal, destination).ConfigureAwait(false);
                return;
            }

            // Egress policy (issue 6): method/path rules, then rate and in-flight limits (the slot is held until the request —
            // or WebSocket — ends).
            if (Policy(context, snapshot, identity, route, path, out slot) is { } policyRefusal)
            {
                errorCode = await RefuseAsync(context, policyRefusal, destination).ConfigureAwait(false);
                return;
            }

            if (context.Request.ContentLength > _maxRequestBody)
            {
                errorCode = await RefuseAsync(context, new ProxyRefusal(ProxyError.RequestTooLarge,
                    $"The request body is larger than the proxy allows ({_maxRequestBody} bytes)."), destination).ConfigureAwait(false);
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
            {
                bodyLimit.MaxRequestBodySize = _maxRequestBody;
            }

            state = new ProxyRequestState(_resolver, identity, destination, route) { PathAndQuery = path.PathAndQuery };
            if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false)
            {
                // Counts what the agent actually sent (chunked and HTTP/2 bodies have no Content-Length).
                context.Request.Body = state.RequestBody = new RequestBodyMeter(context.Request.BodyReader);
            }

            context.Features.Set(state);
            await _forwarder.ForwardAsync(context, state).ConfigureAwait(false);
            errorCode = state.ErrorCode;
        }
        finally
        {
            slot?.Dispose();
            snapshot?.Release();
            if (destination is not null && recorded)
            {
                _log.Write(new RequestLogRecord
                {
                    Time = time,
                    Agent = identity?.Agent ?? agent,
                    Vault = identity?.Vault,
                    // The matched service also for requests the policy refused before forwarding (rule_denied, rate_limited).
                    Service = state?.Route?.Name ?? route?.Name,
                    Method = context.Request.Method,
                    Host = destination.Host,
                    Port = destination.Port,
                    Path = RequestLogPath.Of(context.Request.Path.Value),
                    Status = context.Response.StatusCode,
                    DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    BytesIn = state?.RequestBody?.Count ?? 0,

                    // Refused before forwarding: the problem body RefuseAsync wrote (it sets Content-Length).
                    BytesOut = state?.BytesOut ?? (errorCode is null ? 0 : context.Response.ContentLength ?? 0),
                    Credentials = state?.CredentialKeys ?? [],
                    Error = errorCode,
                    Redactions = state?.Redactor?.Count ?? 0,
                });
            }
        }
    }

    private static ProxyRefusal? Route(RouteTable routes, AgentIdentity identity, ProxyDestination destination, RequestPath path, out ServiceRoute? route)
    {
        route = null;
        var vault = routes.FindVault(identity.Vault);
        if (vault is null)
        {
            return new ProxyRefusal(ProxyError.VaultNotFound, "Vault '" + identity.Vault + "' does not exist or this token may not use it.");
        }

        route = vault.Match(destination.Host, destination.Port, path);
        if (route is null)
        {
            return vault.Passthrough ? null : HostNotAllowed(identity.Vault, destination);
        }

        if (!route.Enabled)
        {
            return new ProxyRefusal(ProxyError.ServiceDisabled, $"Service '{route.Name}' of vault '{route.Vault}' is disabled.");
        }

        // Credentials travel only over TLS: refused before anything is resolved or sent (SPEC §5).
        if (!destination.Https && route.Injects && !route.AllowHttp)
        {
            return new ProxyRefusal(ProxyError.InsecureUpstream,
                $"Service '{route.Name}' of vault '{route.Vault}' injects a credential, which is sent only over TLS: use https:// (or CONNECT and TLS) for {destination.Host}.");
        }

        // The reason (a plugin's message about the operator's settings) was logged when the route table was built.
        return route.SchemeError is not null
            ? new ProxyRefusal(ProxyError.CredentialUnavailable, $"Service '{route.Name}' of vault '{route.Vault}': its auth scheme is unavailable; the server log has the reason.")
            : null;
    }

    private ProxyRefusal? Policy(HttpContext context, BrokerSnapshot snapshot, AgentIdentity identity, ServiceRoute? route, RequestPath path, out LimitVerdict? slot)
    {
        slot = null;
        if (route is { Rules.IsEmpty: false } &&
            !route.Rules.IsAllowed(MethodOverride.Methods(context.Request.Method, context.Request.Headers, path.Query), path))
        {
            return new ProxyRefusal(ProxyError.RuleDenied, $"Service '{route.Name}' of vault '{route.Vault}' does not allow this request.");
        }

        var tunnel = context.Features.Get<ProxyTunnelFeature>();
        var verdict = _limiter.TryAcquire(identity.Agent, snapshot.LimitOf(identity.Agent), identity.Vault, route?.Name ?? "-", route?.RateLimit,
            tunnel is null ? null : () => tunnel.TakePrepaidToken(identity.Agent));
        if (!verdict.Acquired)
        {
            return new ProxyRefusal(ProxyError.RateLimited, $"Limit reached ({verdict.Limit}); retry after {verdict.RetryAfterSeconds} s.", TimeSpan.FromSeconds(verdict.RetryAfterSeconds));
        }

        slot = verdict;
        return null;
    }

    private async Task<string> RefuseAsync(HttpContext context, ProxyRefusal refusal, ProxyDestination? destination = null)
    {
        ProxyLog.RequestRefused(_logger, context.Request.Method, destination?.Host ?? "-", destination?.Port ?? 0, refusal.Error.Code);
        await ProxyProblem.WriteAsync(context, refusal, context.RequestAborted).ConfigureAwait(false);
        return refusal.Error.Code;
    }

    // Absolute-form targets (RFC 9112 §3.2.2): http://, https:// (axios sends these), ws:// and wss://.
    private static ProxyDestination? AbsoluteDestination(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] == '/' || !Uri.TryCreate(target, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var https = uri.Scheme is "https" or "wss";
        if (!https && uri.Scheme is not ("http" or "ws"))
        {
            return null;
        }

        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        return host.Length == 0 || uri.Port is < 1 or > 65535 ? null : new ProxyDestination(https, host, uri.Port);
    }
}
