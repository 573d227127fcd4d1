using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Approvals;

/// <summary>Log messages of per-request approval. Names, methods and hosts only: never a path's query, a header or a body.</summary>
internal static partial class ApprovalsLog
{
    [LoggerMessage(EventId = 8301, EventName = "RequestHeld", Level = LogLevel.Information,
        Message = "Holding {Id}: {Method} {Host}:{Port} of agent {Agent} in vault {Vault} (service {Service}) waits for approval")]
    public static partial void RequestHeld(ILogger logger, string id, string method, string host, int port, string agent, string vault, string service);

    [LoggerMessage(EventId = 8302, EventName = "RequestDecided", Level = LogLevel.Information,
        Message = "Held request {Id}: {Decision} by {By}; standing grant until {GrantExpires}")]
    public static partial void RequestDecided(ILogger logger, string id, string decision, string by, DateTimeOffset? grantExpires);

    [LoggerMessage(EventId = 8303, EventName = "VaultFull", Level = LogLevel.Warning,
        Message = "Vault {Vault} already holds {Max} requests for approval; refused one more of agent {Agent}")]
    public static partial void VaultFull(ILogger logger, string vault, int max, string agent);

    [LoggerMessage(EventId = 8304, EventName = "HeldRequestsDenied", Level = LogLevel.Warning,
        Message = "The broker is stopping: denied {Count} held requests")]
    public static partial void HeldRequestsDenied(ILogger logger, int count);

    [LoggerMessage(EventId = 8305, EventName = "PassedByGrant", Level = LogLevel.Debug,
        Message = "{Method} {Host}:{Port} of agent {Agent} passed under standing grant {GrantId}")]
    public static partial void PassedByGrant(ILogger logger, string method, string host, int port, string agent, string grantId);
}
