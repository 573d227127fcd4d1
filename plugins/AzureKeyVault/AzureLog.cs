using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.AzureKeyVault;

/// <summary>Log messages of the Azure Key Vault store; they name stores, secret names and error codes, never values.</summary>
internal static partial class AzureLog
{
    [LoggerMessage(EventId = 4201, Level = LogLevel.Debug, Message = "Store {Store}: read secret {Name} (version {Version})")]
    public static partial void SecretRead(ILogger logger, string store, string name, string? version);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Store {Store}: {Operation} failed ({Category})")]
    public static partial void CallFailed(ILogger logger, string store, string operation, string category);
}
