using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Tls;

internal static partial class TlsLog
{
    [LoggerMessage(EventId = 3001, EventName = "CaCreated", Level = LogLevel.Information, Message = "Created the local CA {Subject} (SHA-1 thumbprint {Thumbprint})")]
    public static partial void CaCreated(ILogger logger, string subject, string thumbprint);

    [LoggerMessage(EventId = 3002, EventName = "LeafMinted", Level = LogLevel.Debug, Message = "Minted a leaf certificate for {Host}")]
    public static partial void LeafMinted(ILogger logger, string host);
}
