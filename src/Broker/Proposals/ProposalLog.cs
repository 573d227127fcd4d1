using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Proposals;

internal static partial class ProposalLog
{
    [LoggerMessage(EventId = 4300, EventName = "ProposalCreated", Level = LogLevel.Information, Message = "Agent {Agent} proposed {Id} for vault {Vault} ({Services} services, {Credentials} credentials)")]
    public static partial void Created(ILogger logger, string agent, string id, string vault, int services, int credentials);

    [LoggerMessage(EventId = 4301, EventName = "ProposalDecided", Level = LogLevel.Information, Message = "Proposal {Id} for vault {Vault} {Decision} by {DecidedBy}")]
    public static partial void Decided(ILogger logger, string id, string vault, string decision, string decidedBy);

    [LoggerMessage(EventId = 4302, EventName = "ProposalWarning", Level = LogLevel.Warning, Message = "Proposal {Id} of agent {Agent} for vault {Vault}: {Warning}")]
    public static partial void Warning(ILogger logger, string id, string agent, string vault, string warning);
}
