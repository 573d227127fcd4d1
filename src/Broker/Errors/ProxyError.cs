namespace AgentVault.Broker.Errors;

/// <summary>The stable error codes the proxy answers with (SPEC §5), each with its status and title, and the request log's <c>client_closed</c>.</summary>
internal sealed class ProxyError
{
    public static readonly ProxyError ProxyAuthRequired = new("proxy_auth_required", 407, "Proxy authentication required");
    public static readonly ProxyError BadRequest = new("bad_request", 400, "Bad request");
    public static readonly ProxyError HostNotAllowed = new("host_not_allowed", 403, "Host not allowed");
    public static readonly ProxyError RuleDenied = new("rule_denied", 403, "Request denied by a rule");
    public static readonly ProxyError ServiceDisabled = new("service_disabled", 403, "Service disabled");
    public static readonly ProxyError InsecureUpstream = new("insecure_upstream", 403, "Credential refused over plain HTTP");
    public static readonly ProxyError ApprovalDenied = new("approval_denied", 403, "Request denied by a person");
    public static readonly ProxyError ApprovalTimeout = new("approval_timeout", 403, "No decision on the request in time");
    public static readonly ProxyError DestinationBlocked = new("destination_blocked", 403, "Destination blocked");
    public static readonly ProxyError VaultNotFound = new("vault_not_found", 404, "Vault not found");
    public static readonly ProxyError RequestTooLarge = new("request_too_large", 413, "Request too large");
    public static readonly ProxyError RateLimited = new("rate_limited", 429, "Rate limited");
    public static readonly ProxyError CredentialUnavailable = new("credential_unavailable", 502, "Credential unavailable");
    public static readonly ProxyError UpstreamUnreachable = new("upstream_unreachable", 502, "Upstream unreachable");
    public static readonly ProxyError UpstreamTlsError = new("upstream_tls_error", 502, "Upstream TLS error");
    public static readonly ProxyError ResponseTooLarge = new("response_too_large", 502, "Response too large");
    public static readonly ProxyError UpstreamTimeout = new("upstream_timeout", 504, "Upstream timeout");

    /// <summary>The agent went away before the answer: recorded in the request log, never answered (nobody is listening).</summary>
    public static readonly ProxyError ClientClosed = new("client_closed", 499, "Client closed the request") { IsAnswered = false };

    private ProxyError(string code, int status, string title)
    {
        Code = code;
        Status = status;
        Title = title;
        TypeUri = "https://agent-vault.dev/errors/" + code;
    }

    public string Code { get; }

    public int Status { get; }

    public string Title { get; }

    public string TypeUri { get; }

    /// <summary>False for a failure that gets no problem response (<see cref="ClientClosed"/>).</summary>
    public bool IsAnswered { get; private init; } = true;

    public override string ToString() => Code;
}
