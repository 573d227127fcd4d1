using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Snapshots;

internal static partial class SnapshotLog
{
    [LoggerMessage(EventId = 1203, EventName = "SnapshotPublished", Level = LogLevel.Debug,
        Message = "Runtime snapshot published for configuration version {Version}")]
    public static partial void Published(ILogger logger, long version);

    [LoggerMessage(EventId = 1204, EventName = "SnapshotBuildFailed", Level = LogLevel.Error,
        Message = "Building the runtime snapshot for configuration version {Version} failed; the previous snapshot stays in use")]
    public static partial void BuildFailed(ILogger logger, long version, Exception exception);

    [LoggerMessage(EventId = 1208, EventName = "SnapshotCandidateFailed", Level = LogLevel.Warning,
        Message = "A configuration change was refused: its runtime snapshot cannot be built")]
    public static partial void CandidateFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1209, EventName = "StoreRebuildFailed", Level = LogLevel.Error,
        Message = "Rebuilding the secret stores for configuration version {Version} failed; the stores built before stay in use")]
    public static partial void StoreRebuildFailed(ILogger logger, long version, Exception exception);
}
