using System.Net;
using AgentVault.Broker.Routing;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// The retry after an upstream 401, under YARP's <see cref="HttpMessageInvoker"/>: when the service's auth scheme says its
/// credential was refreshed (<c>OnUnauthorizedAsync</c>), the request is sent once more with the scheme applied afresh, and
/// YARP sees only the second answer. Only requests that are safe to send twice are retried: idempotent methods without a body
/// (RFC 9110 §9.2.2). When the fresh credential cannot be applied, the request is refused as <c>credential_unavailable</c>
/// (the transformer turns <see cref="ProxyRequestState.Refusal"/> into the answer) and the upstream's 401 is not passed on.
/// </summary>
internal sealed class UnauthorizedRetryHandler : DelegatingHandler
{
    /// <summary>The request's state, put on the upstream request by the transformer.</summary>
    public static readonly HttpRequestOptionsKey<ProxyRequestState> StateKey = new("AgentVault.ProxyRequestState");

    private readonly ILogger _logger;

    public UnauthorizedRetryHandler(HttpMessageHandler inner, ILogger logger)
        : base(inner) => _logger = logger;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        IsRetryable(request) && request.Options.TryGetValue(StateKey, out var state) && state.Route is { Scheme: not null } route
            ? SendWithRetryAsync(request, state, route, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendWithRetryAsync(HttpRequestMessage request, ProxyRequestState state, ServiceRoute route, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var scheme = route.Scheme!;
        if (response.StatusCode != HttpStatusCode.Unauthorized || !await scheme.OnUnauthorizedAsync(cancellationToken).ConfigureAwait(false))
        {
            return response;
        }

        ForwardingLog.RetryAfterUnauthorized(_logger, route.Vault, route.Name);
        var retry = Copy(request, route.HeadersToStrip);
        try
        {
            await SchemeApplication.ApplyAsync(scheme, retry, state, body: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            state.Refusal = SchemeApplication.Failure(route, ex, _logger);
            return response;
        }

        response.Dispose();
        return await base.SendAsync(retry, cancellationToken).ConfigureAwait(false);
    }

    // Idempotent and without a body: YARP gives a request content only when the agent's request can have a body.
    private static bool IsRetryable(HttpRequestMessage request) =>
        request.Content is null &&
        (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head || request.Method == HttpMethod.Options || request.Method == HttpMethod.Delete);

    // The same request without what the scheme set: the scheme applies its refreshed credential as on the first send.
    private static HttpRequestMessage Copy(HttpRequestMessage request, IReadOnlyCollection<string> schemeHeaders)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var header in request.Headers.NonValidated)
        {
            if (!Contains(schemeHeaders, header.Key))
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        foreach (var option in request.Options)
        {
            ((IDictionary<string, object?>)copy.Options)[option.Key] = option.Value;
        }

        return copy;
    }

    private static bool Contains(IReadOnlyCollection<string> names, string name)
    {
        foreach (var candidate in names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
