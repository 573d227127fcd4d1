using System.Diagnostics;

namespace AgentVault.Broker.Telemetry;

/// <summary>
/// The broker's spans (docs/operations-telemetry.md): one <c>proxy.request</c> per proxied request, with a child for each
/// step: <c>authenticate</c>, <c>route</c>, <c>policy</c>, <c>approval</c>, <c>credential.resolve</c> (cache hit, or a
/// <c>store.fetch</c> beneath it), <c>token.mint</c> (reported by plugins) and <c>forward</c>. With no listener (no
/// <c>--otlp-endpoint</c>) every start returns null and the request path pays one check. Attributes carry names, codes and
/// sizes, never a value: no token, secret, header, query string or body.
/// </summary>
internal static class BrokerTracing
{
    public const string SourceName = "AgentVault.Proxy";

    public const string RequestSpan = "proxy.request";
    public const string AuthenticateSpan = "authenticate";
    public const string RouteSpan = "route";
    public const string PolicySpan = "policy";
    public const string ApprovalSpan = "approval";
    public const string ResolveSpan = "credential.resolve";
    public const string StoreFetchSpan = "store.fetch";
    public const string ForwardSpan = "forward";

    public const string Method = "http.request.method";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string UrlPath = "url.path";
    public const string StatusCode = "http.response.status_code";
    public const string ErrorType = "error.type";
    public const string Agent = "agent_vault.agent";
    public const string Vault = "agent_vault.vault";
    public const string Service = "agent_vault.service";
    public const string CredentialKey = "agent_vault.credential.key";
    public const string Store = "agent_vault.store";
    public const string Cache = "agent_vault.cache";
    public const string Approval = "agent_vault.approval";

    /// <summary>Cache outcomes of <see cref="Cache"/>.</summary>
    public const string CacheHit = "hit";
    public const string CacheMiss = "miss";
    public const string CacheStale = "stale";
    public const string CacheNegative = "negative";

    public static ActivitySource Source { get; } = new(SourceName);

    /// <summary>
    /// Starts the span of one proxied request as the root of a new trace: a <c>traceparent</c> the agent sent is not trusted
    /// (it could pick the trace or switch sampling off for its own requests). Call from the request's own async flow.
    /// </summary>
    public static Activity? StartRequest()
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity.Current = null;
        return Source.StartActivity(RequestSpan, ActivityKind.Server);
    }

    /// <summary>
    /// Whether the current span is one of the broker's, i.e. this code runs within a traced request. Steps nest only there:
    /// never under another component's activity (ASP.NET Core's, which may carry the agent's <c>traceparent</c>). Without a
    /// listener (no <c>--otlp-endpoint</c>) it is one field read.
    /// </summary>
    public static bool InRequest => Source.HasListeners() && Activity.Current is { } current && ReferenceEquals(current.Source, Source);

    /// <summary>Starts a step of the current request (a child of the current span); null when not within a traced request.</summary>
    public static Activity? StartStep(string name, ActivityKind kind = ActivityKind.Internal) =>
        InRequest ? Source.StartActivity(name, kind) : null;

    /// <summary>Marks <paramref name="step"/> failed with the stable error code.</summary>
    public static void Fail(Activity? step, string errorCode)
    {
        step?.SetTag(ErrorType, errorCode);
        step?.SetStatus(ActivityStatusCode.Error, errorCode);
    }

    /// <summary>Ends a step, failed with the stable error code when <paramref name="errorCode"/> is set.</summary>
    public static void End(Activity? step, string? errorCode)
    {
        if (errorCode is not null)
        {
            Fail(step, errorCode);
        }

        step?.Dispose();
    }

    /// <summary>Tags the credential resolution in progress (the current span, if it is one of ours) with its cache outcome.</summary>
    public static void MarkCache(string outcome)
    {
        if (InRequest && Activity.Current!.OperationName == ResolveSpan)
        {
            Activity.Current.SetTag(Cache, outcome);
        }
    }
}
