using Microsoft.Extensions.Logging;

namespace AgentVault.Plugins.AwsSecretsManager;

/// <summary>Log messages of the AWS Secrets Manager store; they name stores, paths and error codes, never values.</summary>
internal static partial class AwsLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Store {Store}: read secret {Path} (version {Version})")]
    public static partial void SecretRead(ILogger logger, string store, string path, string? version);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Store {Store}: {Operation} failed with {Status} {Code}")]
    public static partial void CallFailed(ILogger logger, string store, string operation, int status, string code);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Store {Store}: web-identity credentials issued, valid until {Expires}")]
    public static partial void WebIdentityCredentialsIssued(ILogger logger, string store, DateTimeOffset expires);
}
