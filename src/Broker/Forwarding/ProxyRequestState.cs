using System.Diagnostics;
using AgentVault.Abstractions.Auth;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;
using AgentVault.Broker.Routing;
using AgentVault.Broker.Secrets;

namespace AgentVault.Broker.Forwarding;

/// <summary>
/// Everything one proxied request carries through forwarding: who, where, which service, and what was injected. It is the
/// <see cref="ICredentialAccessor"/> handed to the auth scheme, so it records the key names used (for the request log) and the
/// values injected (for response redaction). Its <see cref="ToString"/> shows no value.
/// </summary>
internal sealed class ProxyRequestState : ICredentialAccessor
{
    private readonly ICredentialResolver _resolver;
    private readonly CredentialBindings _bindings;
    private List<string>? _keys;
    private List<string>? _values;

    /// <param name="bindings">The credential bindings of the snapshot the request holds (the same version as its route).</param>
    public ProxyRequestState(ICredentialResolver resolver, CredentialBindings bindings, AgentIdentity identity, ProxyDestination destination, ServiceRoute? route)
    {
        _resolver = resolver;
        _bindings = bindings;
        Identity = identity;
        Destination = destination;
        Route = route;
    }

    public AgentIdentity Identity { get; }

    /// <summary>The path and query exactly as the agent sent them; forwarded unchanged.</summary>
    public string PathAndQuery { get; init; } = "/";

    public ProxyDestination Destination { get; }

    /// <summary>The matched service, or null for a request forwarded under the vault's <c>passthrough</c> policy.</summary>
    public ServiceRoute? Route { get; }

    /// <summary>Credential key names resolved for this request.</summary>
    public IReadOnlyList<string> CredentialKeys => _keys ?? (IReadOnlyList<string>)[];

    /// <summary>Credential values placed into the request (kept in memory for redaction only).</summary>
    public IReadOnlyList<string> InjectedValues => _values ?? (IReadOnlyList<string>)[];

    /// <summary>
    /// Set by the transformer when it refused the request or its response (credential unavailable, response too large, not
    /// redactable); the forwarder returns it to the request handler, which answers it.
    /// </summary>
    public ProxyRefusal? Refusal { get; set; }

    /// <summary>Set by the transformer once the upstream's status and headers were taken over for the agent (a later request-body error does not undo that answer).</summary>
    public bool UpstreamAnswered { get; set; }

    /// <summary>The response redactor once the response is known (set by the transformer); its count goes to the request log.</summary>
    public Redactor? Redactor { get; set; }

    /// <summary>The <c>forward</c> span, from the shaped upstream request to the end of the answer; null when not traced.</summary>
    public Activity? Forwarding { get; set; }

    /// <summary>Counts the agent's request body bytes (null when the request has no body).</summary>
    public RequestBodyMeter? RequestBody { get; init; }

    /// <summary>Counts the response body bytes sent to the agent and enforces the response size limit (set by the forwarder).</summary>
    public ResponseBodyMeter? ResponseBody { get; set; }

    /// <summary>The wrapper over the agent's response body while redaction may apply (set by the forwarder, activated by the transformer).</summary>
    public RedactingStream? RedactedBody { get; set; }

    public async ValueTask<string> GetAsync(string key, CancellationToken cancellationToken)
    {
        string value;
        try
        {
            value = await _resolver.ResolveAsync(_bindings, Identity.Vault, key, cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException ex)
        {
            throw new AuthSchemeException(ex.Message, key, ex);
        }

        (_keys ??= []).Add(key);
        (_values ??= []).Add(value);
        return value;
    }

    /// <summary>Registers values a scheme reported through <see cref="AuthRequest.InjectedValues"/> (e.g. minted tokens).</summary>
    public void AddInjectedValues(IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            (_values ??= []).AddRange(values);
        }
    }

    public override string ToString() => $"{Identity.Agent}@{Identity.Vault} → {Destination} ({Route?.Name ?? "passthrough"})";
}
