using AgentVault.Broker.Access;
using AgentVault.Broker.Model;
using Microsoft.Extensions.Logging;

namespace AgentVault.Broker.Identity;

/// <summary>Turns a person the identity provider vouched for into one of our sessions, recorded in the audit trail.</summary>
internal sealed class PersonSessions(SessionStore sessions, AuditTrail audit, ILogger<PersonSessions> logger)
{
    public async Task<(string Token, SessionRecord Session)> StartAsync(Person person, string kind, CancellationToken cancellationToken)
    {
        var (token, session) = await sessions.StartAsync(kind, person.Email, person.Email, person.Groups, cancellationToken);
        IdentityLog.SignedIn(logger, session.Id, person.Email, kind);
        await audit.RecordAsync(SessionStore.CallerOf(session), "session.sign_in", "sessions/" + session.Id, null,
            kind == SessionRecord.Cli ? "signed in to the CLI with single sign-on" : "signed in to the console with single sign-on", cancellationToken);
        return (token, session);
    }

    /// <summary>Ends the session of <paramref name="token"/> (the CLI's <c>logout</c>); false when there was none.</summary>
    public async Task<bool> EndAsync(string? token, CancellationToken cancellationToken)
    {
        if (await sessions.EndAsync(token, cancellationToken) is not { } session)
        {
            return false;
        }

        await audit.RecordAsync(SessionStore.CallerOf(session), "session.sign_out", "sessions/" + session.Id, null, $"signed out of the {session.Kind}", cancellationToken);
        return true;
    }
}
