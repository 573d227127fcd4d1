namespace AgentVault.Broker.Notifications;

/// <summary>
/// Something a person may want to act on, as the webhooks of <c>notifications:</c> deliver it (SPEC §12). Names and references
/// only: never a secret value, a token or a request body.
/// </summary>
/// <param name="Event"><c>proposal.created</c>, <c>proposal.decided</c>, <c>approval.requested</c> or <c>approval.decided</c> (see <see cref="NotificationEvents"/>).</param>
/// <param name="Id">The proposal's or held request's id.</param>
/// <param name="Vault">The vault it concerns.</param>
/// <param name="Agent">The agent that proposed or made the request.</param>
/// <param name="Summary">One line for a person, e.g. <c>claude asks for api.stripe.com (stripe)</c>.</param>
/// <param name="ConsolePath">The console page of the item (<c>/ui/proposals/{id}</c>, <c>/ui/approvals</c>); the publisher makes it absolute.</param>
/// <param name="Decision">For <c>*.decided</c>: <c>approved</c>, <c>rejected</c>, <c>denied</c>, <c>timeout</c> or <c>expired</c>.</param>
/// <param name="DecidedBy">For <c>*.decided</c>: who decided (<c>admin</c>, a person's email later), or <c>broker</c> for a timeout.</param>
public sealed record NotificationEvent(
    string Event,
    string Id,
    string Vault,
    string Agent,
    string Summary,
    string ConsolePath,
    string? Decision = null,
    string? DecidedBy = null);
