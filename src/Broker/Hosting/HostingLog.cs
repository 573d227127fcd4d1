using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Hosting;

/// <summary>Log messages of the Hosting feature: paths and host names only.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 6201, EventName = "LoosePermissions", Level = LogLevel.Warning, Message = "--dev: {Problem}")]
    public static partial void LoosePermissions(ILogger logger, string problem);

    [LoggerMessage(EventId = 6203, EventName = "DevNetworkOpen", Level = LogLevel.Warning,
        Message = "--dev: upstreams on loopback, private, link-local, carrier-grade NAT and unique-local addresses are allowed (cloud metadata addresses stay blocked); agents can reach internal services through the broker, so do not use --dev where they must not (docs/network-guard.md)")]
    public static partial void DevNetworkOpen(ILogger logger);
}
