using System.Net;

namespace AgentVault.Broker.WebConsole;

/// <summary>Log messages of the web console. Never a token or a session token.</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(EventId = 7001, EventName = "ConsoleSignedIn", Level = LogLevel.Information,
        Message = "Console: {Actor} signed in from {Client} (session {Session})")]
    public static partial void SignedIn(ILogger logger, string session, string actor, IPAddress? client);

    [LoggerMessage(EventId = 7002, EventName = "ConsoleSignInRefused", Level = LogLevel.Warning,
        Message = "Console: a sign-in from {Client} was refused (not the admin token)")]
    public static partial void SignInRefused(ILogger logger, IPAddress? client);

    [LoggerMessage(EventId = 7003, EventName = "ConsoleSignedOut", Level = LogLevel.Information,
        Message = "Console: {Actor} signed out (session {Session})")]
    public static partial void SignedOut(ILogger logger, string session, string actor);
}
