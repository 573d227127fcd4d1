using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Identity;

/// <summary>Log messages of people's sign-in (event IDs 9300–9329). Never a token, a code or a secret.</summary>
internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 9300, EventName = "PersonSignedIn", Level = LogLevel.Information, Message = "{Email} signed in ({Kind}, session {SessionId})")]
    public static partial void SignedIn(ILogger logger, string sessionId, string email, string kind);

    [LoggerMessage(EventId = 9301, EventName = "SignInRefused", Level = LogLevel.Warning, Message = "Single sign-on refused: {Reason}")]
    public static partial void SignInRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 9302, EventName = "SignInFailed", Level = LogLevel.Warning, Message = "Single sign-on failed: {Error}")]
    public static partial void SignInFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 9303, EventName = "DeviceFlowFailed", Level = LogLevel.Warning, Message = "Device sign-in at the identity provider failed: {Error}")]
    public static partial void DeviceFlowFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 9305, EventName = "SignInClaims", Level = LogLevel.Debug, Message = "Single sign-on claims received (types only): {Types}")]
    public static partial void SignInClaims(ILogger logger, string types);

    [LoggerMessage(EventId = 9304, EventName = "IssuerUnavailable", Level = LogLevel.Warning, Message = "The OpenID Connect issuer {Issuer} could not be read: {Error}")]
    public static partial void IssuerUnavailable(ILogger logger, Uri issuer, string error);
}
