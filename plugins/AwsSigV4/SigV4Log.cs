using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.AwsSigV4;

/// <summary>Log messages of <c>aws-sigv4</c>; they name services, regions and payload modes, never a key or signature.</summary>
internal static partial class SigV4Log
{
    [LoggerMessage(EventId = 5301, Level = LogLevel.Debug, Message = "Vault {Vault} service {Service}: request signed for {SigningService} in {Region} ({PayloadMode})")]
    public static partial void Signed(ILogger logger, string vault, string service, string signingService, string region, string payloadMode);
}
