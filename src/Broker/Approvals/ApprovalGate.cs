using AgentVault.Broker.Audit;
using AgentVault.Broker.Errors;
using AgentVault.Broker.Model;
using AgentVault.Broker.Policy;
using AgentVault.Broker.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Approvals;

/// <summary>
/// The proxy's approval step (docs/approvals.md): a request that an approve rule of its service matches, and that no standing
/// grant covers, has its body buffered, is registered and waits until a person approves or denies it, the service's
/// <c>approval_timeout</c> passes, or the agent goes away. Only then does forwarding start, so the upstream never sees a held
/// request that was not approved.
/// </summary>
internal sealed class ApprovalGate
{
    /// <summary>What a full vault tells the agent to wait before trying again.</summary>
    public static readonly TimeSpan FullRetryAfter = TimeSpan.FromSeconds(30);

    private readonly ApprovalRegistry _registry;
    private readonly ILogger _logger;

    public ApprovalGate(ApprovalRegistry registry, ILogger<ApprovalGate> logger)
    {
        _registry = registry;
        _logger = logger;
    }

    /// <summary>Lets the request pass, holds it until it may, or refuses it; <paramref name="route"/> has approve rules.</summary>
    public async ValueTask<ApprovalOutcome> PassAsync(HttpContext context, ServiceRoute route, AgentIdentity identity, ProxyDestination destination, RequestPath path)
    {
        var request = context.Request;
        var rule = route.Approve?.Match(MethodOverride.Methods(request.Method, request.Headers, path.Query), path);
        if (rule is null)
        {
            return ApprovalOutcome.NotHeld;
        }

        if (_registry.Grants.Find(identity.Vault, identity.Agent, route.Name, rule) is { } grant)
        {
            ApprovalsLog.PassedByGrant(_logger, request.Method, destination.Host, destination.Port, identity.Agent, grant.Id);
            return new ApprovalOutcome("granted", grant.GrantedBy, null);
        }

        if (await HeldBody.BufferAsync(context).ConfigureAwait(false) is { } bodyRefusal)
        {
            return new ApprovalOutcome(null, null, bodyRefusal);
        }

        var held = new HeldRequest(identity.Agent, identity.Vault, route.Name, rule, request.Method, destination.Host, destination.Port,
            RequestLogPath.Of(request.Path.Value), _registry.Time.GetUtcNow(), route.ApprovalTimeout);
        if (!_registry.TryHold(held))
        {
            ApprovalsLog.VaultFull(_logger, identity.Vault, ApprovalRegistry.MaxPendingPerVault, identity.Agent);
            return new ApprovalOutcome(null, null, new ProxyRefusal(ProxyError.RateLimited,
                $"Vault '{identity.Vault}' already holds {ApprovalRegistry.MaxPendingPerVault} requests waiting for approval; retry later.", FullRetryAfter));
        }

        ApprovalDecision decision;
        try
        {
            decision = await held.Decision.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The agent went away: nobody is left to forward for, whatever a person decides now.
            _registry.Decide(held, ApprovalStatus.Cancelled, ApprovalActors.Broker);
            return new ApprovalOutcome(ApprovalRegistry.Name(ApprovalStatus.Cancelled), ApprovalActors.Broker,
                new ProxyRefusal(ProxyError.ClientClosed, "The agent went away while its request waited for approval."));
        }

        var name = ApprovalRegistry.Name(decision.Status);
        return decision.Status switch
        {
            ApprovalStatus.Approved => new ApprovalOutcome(name, decision.By, null),
            ApprovalStatus.Timeout => new ApprovalOutcome(name, decision.By, new ProxyRefusal(ProxyError.ApprovalTimeout,
                $"Nobody approved this request of service '{route.Name}' within {Durations.Format(route.ApprovalTimeout)} (approval {held.Id}).")),
            _ => new ApprovalOutcome(name, decision.By, new ProxyRefusal(ProxyError.ApprovalDenied, decision.By == ApprovalActors.Broker
                ? $"The broker stopped while this request of service '{route.Name}' waited for approval (approval {held.Id}); held requests do not survive a restart."
                : $"A person denied this request of service '{route.Name}' (approval {held.Id}).")),
        };
    }
}
