using AgentVault.Broker.Model;

namespace AgentVault.Broker.Proposals;

/// <summary>A proposal as the API answers it (snake_case); <see cref="Review"/> only while it is pending.</summary>
public sealed record ProposalView(
    string Id,
    string Vault,
    string Agent,
    string Status,
    string Message,
    DateTimeOffset Created,
    DateTimeOffset Expires,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? Reason,
    IReadOnlyList<ServiceDefinition> Services,
    IReadOnlyDictionary<string, ProposalCredential> Credentials,
    ProposalReview? Review)
{
    public static ProposalView Of(ProposalRecord record, DateTimeOffset now, Func<ProposalChanges, ProposalReview> review)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(review);
        var changes = ProposalChanges.FromJson(record.Changes);
        var status = record.StatusAt(now);
        return new(record.Id, record.Vault, record.Agent, status, record.Message, record.CreatedAt, record.ExpiresAt, record.DecidedAt, record.DecidedBy,
            record.Reason, changes.Services, changes.Credentials, status == ProposalRecord.Pending ? review(changes) : null);
    }
}
