using System.Diagnostics;
using AgentVault.Broker.Audit;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Forwarding;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Snapshots;
using AgentVault.Broker.Telemetry;
using Microsoft.AspNetCore.Http;

namespace AgentVault.Broker.Proxy;

/// <summary>
/// What the steps of <see cref="ProxyRequestHandler"/> learn about one request, in the order they learn it; each step writes
/// only its own part. The last step turns it into the request-log record.
/// </summary>
internal sealed class ProxyExchange
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public ProxyExchange(HttpContext context, DateTimeOffset time, ProxyTunnelFeature? tunnel, ProxyDestination? destination)
    {
        Context = context;
        Time = time;
        Tunnel = tunnel;
        Destination = destination;
    }

    public HttpContext Context { get; }

    public DateTimeOffset Time { get; }

    /// <summary>The CONNECT tunnel the request arrived in; null for an absolute-form request.</summary>
    public ProxyTunnelFeature? Tunnel { get; }

    /// <summary>The fixed destination (CONNECT line or absolute URI); null when the request names none.</summary>
    public ProxyDestination? Destination { get; }

    /// <summary>The leased configuration snapshot (authenticate).</summary>
    public BrokerSnapshot? Snapshot { get; set; }

    /// <summary>The authenticated agent and its vault (authenticate).</summary>
    public AgentIdentity? Identity { get; set; }

    /// <summary>The agent a valid token named although the request was refused (e.g. a vault it may not use).</summary>
    public string? RefusedAgent { get; set; }

    /// <summary>False for unauthenticated refusals: they are counted, never recorded (SPEC §9).</summary>
    public bool Recorded { get; set; } = true;

    /// <summary>The one reading of the request target (route).</summary>
    public RequestPath? Path { get; set; }

    /// <summary>The matched service; null under the vault's passthrough policy (route).</summary>
    public ServiceRoute? Route { get; set; }

    /// <summary>The rate and in-flight slot held until the request (or WebSocket) ends (policy).</summary>
    public LimitVerdict? Slot { get; set; }

    /// <summary>What forwarding carries: injected keys and values, meters, redactor (forward).</summary>
    public ProxyRequestState? State { get; set; }

    /// <summary>How the approval step let the request pass or ended it (<c>approved</c>, <c>granted</c>, …); null when no approve rule matched.</summary>
    public string? Approval { get; set; }

    /// <summary>Who made the approval decision (<c>admin</c>, <c>broker</c>); null when none was needed.</summary>
    public string? DecidedBy { get; set; }

    /// <summary>The failure the request ended with (any step), for the log's <c>error</c>.</summary>
    public ProxyRefusal? Failure { get; set; }

    /// <summary>Length of the problem body the broker answered with (0 when none was written).</summary>
    public long ProblemBytes { get; set; }

    /// <summary>Time since the request arrived.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>The request's <c>proxy.request</c> span; null when not traced.</summary>
    public Activity? Span { get; init; }

    /// <summary>Ends the request's holds on the limiter and the snapshot.</summary>
    public void Release()
    {
        Slot?.Dispose();
        Snapshot?.Release();
    }

    /// <summary>Puts what the request-log record says (names, codes and sizes only) on the request's span.</summary>
    public void Describe()
    {
        if (Span is not { } span)
        {
            return;
        }

        span.SetTag(BrokerTracing.Method, Context.Request.Method);
        span.SetTag(BrokerTracing.ServerAddress, Destination?.Host);
        span.SetTag(BrokerTracing.ServerPort, Destination?.Port);
        span.SetTag(BrokerTracing.UrlPath, RequestLogPath.Of(Context.Request.Path.Value));
        span.SetTag(BrokerTracing.Agent, Identity?.Agent ?? RefusedAgent);
        span.SetTag(BrokerTracing.Vault, Identity?.Vault);
        span.SetTag(BrokerTracing.Service, Route?.Name);
        span.SetTag(BrokerTracing.StatusCode, Context.Response.StatusCode);
        if (Failure is { } failure)
        {
            span.SetTag(BrokerTracing.ErrorType, failure.Error.Code);
            span.SetStatus(ActivityStatusCode.Error, failure.Error.Code);
        }
    }

    public RequestLogRecord ToRecord(ProxyDestination destination) => new()
    {
        Time = Time,
        Agent = Identity?.Agent ?? RefusedAgent,
        Vault = Identity?.Vault,
        // The matched service also for requests the policy refused before forwarding (rule_denied, rate_limited).
        Service = Route?.Name,
        Method = Context.Request.Method,
        Host = destination.Host,
        Port = destination.Port,
        Path = RequestLogPath.Of(Context.Request.Path.Value),
        Status = Context.Response.StatusCode,
        DurationMs = (long)Elapsed.TotalMilliseconds,
        BytesIn = State?.RequestBody?.Count ?? 0,
        BytesOut = (State?.ResponseBody?.Count ?? 0) + ProblemBytes,
        Credentials = State?.CredentialKeys ?? [],
        Error = Failure?.Error.Code,
        Redactions = State?.Redactor?.Count ?? 0,
        Approval = Approval,
        DecidedBy = DecidedBy,
        TraceId = Span?.TraceId.ToHexString(),
    };
}
